/**
 * npx tsx scripts/bench/cpu-split.ts [CHANNEL ...]
 * Where the CPU of the inbound load goes, per request: the server under test (the floor, then
 * Ayni), its redis-server and the load generator (this process), read from /proc before and after
 * one full-load run of `npm run bench`'s load. On two shared cores, requests per second follow the
 * sum of the three; CPU time per request moves less than requests per second when the machine is
 * busy, so two versions can be compared back to back. Also prints the Redis commands per request.
 * BENCH_SECONDS (10), BENCH_LEARNERS (1,000), BENCH_FLOOR=0 to measure Ayni alone, BENCH_PROFILE=DIR
 * for a CPU profile of each server (node --cpu-prof). Linux only (/proc).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { walkCourse } from '../../src/content-tools/course-walk.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import type { Channel } from '../../src/privacy/phone.js';
import { startRedis } from '../../tests/support/redis-server.js';
import { load, serverEnv, startServer, stop, type LoadPlan } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 1_000);
const channels = (process.argv.slice(2).length ? process.argv.slice(2) : ['sms', 'whatsapp']) as Channel[];

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on every Linux we know, read anyway). */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const redisServer = await startRedis();
const redis = new Redis(redisServer.url);
const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
const env = serverEnv(redisServer.url);

/** Each Redis command's calls per request (those inside scripts too), from INFO commandstats. */
function commandsPerRequest(stats: string, requests: number): string {
  return [...stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)]
    .filter(([, command]) => !command!.startsWith('config'))
    .map(([, command, calls]) => ({ command, perRequest: Number(calls) / requests }))
    .filter(({ perRequest }) => perRequest >= 0.01)
    .map(({ command, perRequest }) => `${command} ${perRequest.toFixed(2)}`)
    .join(', ');
}

async function measure(entry: string, plan: LoadPlan, prefix: string) {
  await redis.flushall();
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', `${process.env.BENCH_PROFILE}/${plan.channel}-${prefix.slice(0, -1)}`]
    : [];
  const server = await startServer(entry, { ...env, REDIS_PREFIX: prefix }, profile);
  await load(server.url, plan, 'b1');
  await redis.flushall();
  const before = [cpuSeconds(server.child.pid!), cpuSeconds(redisPid), process.cpuUsage()] as const;
  await redis.config('RESETSTAT');
  const result = await load(server.url, plan, 'c1');
  const commands = commandsPerRequest(await redis.info('commandstats'), result.requests);
  const used = process.cpuUsage(before[2]);
  if (result.non2xx)
    throw new Error(
      `${entry}: ${result.non2xx} answers other than 2xx: ${[...plan.statuses.keys()].join('; ')}`,
    );
  const perRequest = (seconds: number) => Math.round((seconds * 1e6) / result.requests);
  const row = {
    rps: result.rps,
    server: perRequest(cpuSeconds(server.child.pid!) - before[0]),
    redis: perRequest(cpuSeconds(redisPid) - before[1]),
    load: perRequest((used.user + used.system) / 1e6),
    commands,
  };
  await stop(server.child);
  return row;
}

const rows = [
  '| channel | run | requests/s | server µs/req | redis µs/req | load generator µs/req | sum |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
];
const commandLines: string[] = [];
for (const channel of channels) {
  const script = walkCourse(runtime, 'es', channel).map((turn) => turn.send);
  const plan: LoadPlan = { channel, script, learners: LEARNERS, seconds: SECONDS, statuses: new Map() };
  for (const [name, entry, prefix] of [
    ['floor', 'scripts/bench/floor-server.ts', 'floor:'],
    ['Ayni', 'src/server.ts', 'ayni:'],
  ] as const) {
    if (name === 'floor' && process.env.BENCH_FLOOR === '0') continue;
    const r = await measure(entry, plan, prefix);
    rows.push(
      `| ${channel} | ${name} | ${r.rps} | ${r.server} | ${r.redis} | ${r.load} | ${r.server + r.redis + r.load} |`,
    );
    commandLines.push(`- ${channel}, ${name}: ${r.commands}`);
  }
}
console.log(
  [...rows, '', 'Redis commands per request (those run inside scripts too):', ...commandLines].join('\n'),
);
redis.disconnect();
await redisServer.stop();
