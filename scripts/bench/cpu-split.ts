/**
 * npx tsx scripts/bench/cpu-split.ts [CHANNEL ...]
 * Where the CPU of the inbound load goes, per request: the server under test (the floor, then
 * Ayni), its redis-server and the load generator (this process), read from /proc before and after
 * one full-load run of `npm run bench`'s load. On two shared cores, requests per second follow the
 * sum of the three; CPU time per request moves less than requests per second when the machine is
 * busy, so two versions can be compared back to back. Linux only (/proc).
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { walkCourse } from '../../src/content-tools/course-walk.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import type { Channel } from '../../src/privacy/phone.js';
import { startRedis } from '../../tests/support/redis-server.js';
import { load, PUBLIC_URL, startServer, stop, TOKEN, type LoadPlan } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 1_000);
const channels = (process.argv.slice(2).length ? process.argv.slice(2) : ['sms', 'whatsapp']) as Channel[];

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const redisServer = await startRedis();
const redis = new Redis(redisServer.url);
const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
const env = {
  TWILIO_AUTH_TOKEN: TOKEN,
  PUBLIC_URL,
  REDIS_URL: redisServer.url,
  LOG_LEVEL: 'info',
  NODE_ENV: 'production',
  ID_SECRET: 'bench-only-id-secret-not-for-any-deployment',
};

async function measure(entry: string, plan: LoadPlan, prefix: string) {
  await redis.flushall();
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', `${process.env.BENCH_PROFILE}/${plan.channel}-${prefix.slice(0, -1)}`] : [];
  const server = await startServer(entry, { ...env, REDIS_PREFIX: prefix }, profile);
  await load(server.url, plan, 'b1');
  await redis.flushall();
  const before = [cpuSeconds(server.child.pid!), cpuSeconds(redisPid), process.cpuUsage()] as const;
  const result = await load(server.url, plan, 'c1');
  const used = process.cpuUsage(before[2]);
  if (result.non2xx) throw new Error(`${entry}: ${result.non2xx} answers other than 2xx: ${[...plan.statuses.keys()].join('; ')}`);
  const perRequest = (seconds: number) => Math.round((seconds * 1e6) / result.requests);
  const row = {
    rps: result.rps,
    server: perRequest(cpuSeconds(server.child.pid!) - before[0]),
    redis: perRequest(cpuSeconds(redisPid) - before[1]),
    load: perRequest((used.user + used.system) / 1e6),
  };
  await stop(server.child);
  return row;
}

console.log('| channel | run | requests/s | server µs/req | redis µs/req | load generator µs/req | sum |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const channel of channels) {
  const script = walkCourse(runtime, 'es', channel).map((turn) => turn.send);
  const plan: LoadPlan = { channel, script, learners: LEARNERS, seconds: SECONDS, statuses: new Map() };
  for (const [name, entry, prefix] of [
    ['floor', 'scripts/bench/floor-server.ts', 'floor:'],
    ['Ayni', 'src/server.ts', 'ayni:'],
  ] as const) {
    const r = await measure(entry, plan, prefix);
    console.log(
      `| ${channel} | ${name} | ${r.rps} | ${r.server} | ${r.redis} | ${r.load} | ${r.server + r.redis + r.load} |`,
    );
  }
}
redis.disconnect();
await redisServer.stop();
