/**
 * npx tsx scripts/bench/turn-cpu.ts [LEARNERS]
 * CPU time per turn of the engine (lock, load, machine, read ahead, render, save), per channel,
 * in this process, against a throwaway redis-server: learners (200) each walk the whole course as
 * the course walk sends it; then the pure part of a turn alone (the machine, reading ahead, the
 * text for the channel: the course walk itself, no Redis). CPU time moves less than requests per
 * second when other work shares the machine, so two versions can be compared back to back.
 */
import { Redis } from 'ioredis';
import { walkCourse } from '../../src/content-tools/course-walk.js';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { createConversationEngine } from '../../src/plugins/create-engine.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { KeyedPersonIds } from '../../src/privacy/person-ids.js';
import { parseAddress, type Channel } from '../../src/privacy/phone.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { startRedis } from '../../tests/support/redis-server.js';
import { phoneOf } from './load.js';

const LEARNERS = Number(process.argv[2] ?? 200);
const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const server = await startRedis();
const redis = new Redis(server.url);
const { engine } = createConversationEngine(
  runtime,
  createStores(redis, new Keyspace('cpu:'), new KeyedPersonIds(DEVELOPMENT_ID_SECRET)),
);

for (const channel of ['sms', 'whatsapp'] as Channel[]) {
  const script = walkCourse(runtime, 'es', channel).map((turn) => turn.send);
  const prefix = channel === 'whatsapp' ? 'whatsapp:' : '';
  let sid = 0;
  const turnFor = (learner: number, body: string) =>
    engine.handle({
      address: parseAddress(`${prefix}${phoneOf(learner)}`)!,
      body,
      messageSid: `SM${channel === 'sms' ? 'a' : 'b'}${String(++sid).padStart(31, '0')}`,
    });
  for (const body of script) await turnFor(LEARNERS, body); // warm-up: JIT
  const started = process.cpuUsage();
  for (let learner = 0; learner < LEARNERS; learner++) {
    for (const body of script) await turnFor(learner, body);
  }
  const used = process.cpuUsage(started);
  const turns = LEARNERS * script.length;
  const perTurn = (used.user + used.system) / turns;
  console.log(
    `${channel}: ${turns} turns, ${perTurn.toFixed(0)} µs of CPU per turn, ${((perTurn * script.length) / 1000).toFixed(1)} ms per learner for the whole course (${script.length} messages)`,
  );
  const walks = 40;
  const pure = process.cpuUsage();
  for (let i = 0; i < walks; i++) walkCourse(runtime, 'es', channel);
  const pureUsed = process.cpuUsage(pure);
  const purePerTurn = (pureUsed.user + pureUsed.system) / (walks * script.length);
  console.log(
    `${channel}: the pure part alone (machine, read ahead, render): ${purePerTurn.toFixed(0)} µs per turn`,
  );
}
redis.disconnect();
await server.stop();
