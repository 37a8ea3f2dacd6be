/**
 * npm run bench — the inbound benchmark on both channels, the memory per learner and (if present)
 * the broadcast benchmark, on this machine, in one run. Prints the tables and writes them into
 * BENCHMARKS.md, between its `<!-- bench:NAME -->` markers (the text around them is kept).
 *
 * Inbound, per channel (SMS, then WhatsApp): the floor (floor-server.ts: the same parsing and
 * signature check, one GET and one SET) and then Ayni (a child process on a throwaway
 * redis-server) each get the same load (load.ts): learners who start from first contact and walk
 * the course as the course walk sends it on that channel. Then Ayni again at half its measured
 * maximum rate, for the latency under a steady load (paced-load.ts: one request every 1/rate s, latency
 * counted from when each was due). Each channel's ratio is Ayni / its own floor,
 * measured minutes apart in the same run.
 *
 * Settings: BENCH_SECONDS (10) per run, BENCH_LEARNERS (1,000) in the load, BENCH_CHANNELS
 * (sms,whatsapp), BENCH_MEMORY=0 and BENCH_BROADCAST=0 to skip those, BENCH_MEMORY_LEARNERS
 * (2,000), BENCH_PROFILE=DIR to write a CPU profile of Ayni (node --cpu-prof) per channel.
 *
 * Another run (a cluster, say) is a function returning a section: add it to SECTIONS below.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { walkCourse } from '../../src/content-tools/course-walk.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import type { Channel } from '../../src/privacy/phone.js';
import { startRedis } from '../../tests/support/redis-server.js';
import { CONNECTIONS, load, serverEnv, startServer, stop, type LoadPlan, type LoadResult } from './load.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { pacedLoad } from './paced-load.js';
import { clusterRun } from './cluster-run.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 1_000);
const MEMORY_LEARNERS = Number(process.env.BENCH_MEMORY_LEARNERS ?? 2_000);
const CHANNELS = (process.env.BENCH_CHANNELS ?? 'sms,whatsapp').split(',') as Channel[];
const PROFILE_DIR = process.env.BENCH_PROFILE;

const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const redisServer = await startRedis();
const redis = new Redis(redisServer.url);
const env = serverEnv(redisServer.url);

interface ChannelResult {
  channel: Channel;
  floor: LoadResult;
  ayni: LoadResult;
  steady: LoadResult;
  plan: LoadPlan;
}

async function inbound(channel: Channel): Promise<ChannelResult> {
  const script = walkCourse(runtime, 'es', channel).map((turn) => turn.send);
  const plan: LoadPlan = { channel, script, learners: LEARNERS, seconds: SECONDS, statuses: new Map() };
  console.log(`${channel}: floor…`);
  await redis.flushall();
  const floorServer = await startServer('scripts/bench/floor-server.ts', { ...env, REDIS_PREFIX: 'floor:' });
  await load(floorServer.url, plan, 'f1'); // warm-up: JIT and connections
  const floor = await load(floorServer.url, plan, 'f2');
  await stop(floorServer.child);

  console.log(`${channel}: Ayni…`);
  const profile = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', `${PROFILE_DIR}/${channel}`] : [];
  const ayniServer = await startServer('src/server.ts', { ...env, REDIS_PREFIX: 'ayni:' }, profile);
  await load(ayniServer.url, plan, 'a1');
  await redis.flushall(); // every measured run starts from first contact, on empty sessions
  const ayni = await load(ayniServer.url, plan, 'a2');
  await redis.flushall();
  const steady = await pacedLoad(ayniServer.url, plan, 'a3', Math.round(ayni.rps / 2));
  await stop(ayniServer.child);
  return { channel, floor, ayni, steady, plan };
}

function inboundSection(results: ChannelResult[]): string {
  const rows = results.flatMap(({ channel, floor, ayni, steady }) => [
    [`${channel}: floor (parse, signature, GET + SET, TwiML)`, floor],
    [`${channel}: Ayni at full load`, ayni],
    [`${channel}: Ayni at half its maximum (${Math.round(ayni.rps / 2)} req/s, paced)`, steady],
  ]) as [string, LoadResult][];
  const table = [
    '| run | requests/s | p50 ms | p95 ms | p99 ms | errors | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ([name, r]) => `| ${name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.non2xx} |`,
    ),
  ];
  const ratios = results.map(
    ({ channel, floor, ayni, steady }) =>
      `${channel}: Ayni / floor ${(ayni.rps / floor.rps).toFixed(2)} (target at least 0.60); p99 at half of Ayni's maximum ${steady.p99} ms (target under 25 ms)`,
  );
  const scripts = results.map(
    ({ channel, plan }) =>
      `${channel}: ${plan.script.length} messages from first contact to the end of the course`,
  );
  const refused = results.flatMap(({ channel, plan }) =>
    [...plan.statuses].map(([status, n]) => `${channel}: ${n} × ${status}`),
  );
  return [
    `Measured on ${new Date().toISOString().slice(0, 10)}: ${LEARNERS.toLocaleString('en')} simulated learners per channel, each from first contact through the course as the course walk sends it (${scripts.join('; ')}), correctly signed webhooks, autocannon with ${CONNECTIONS} connections, ${SECONDS} s per run, against the real server and a throwaway redis-server. Per channel, the floor and Ayni run one after the other in the same run.`,
    '',
    ...table,
    '',
    ...ratios.map((line) => `- ${line}`),
    ...(refused.length ? ['', 'Answers other than 200:', ...refused.map((line) => `- ${line}`)] : []),
  ].join('\n');
}

/** `session 1000, replayLog 152, …` and the shared sets' encodings. */
function contributors(m: MemoryResult): string {
  const each = Object.entries(m.contributors)
    .filter(([what]) => what !== 'total')
    .map(([what, bytes]) => `${what} ${Math.round(bytes)}`);
  return `${each.join(', ')} (encodings: index ${m.encodings.learnerIndex.join('/') || '-'}, due nudges ${m.encodings.nudgesDue.join('/') || '-'})`;
}

function memorySection(results: MemoryResult[]): string {
  return results
    .map(
      (m) =>
        `- ${m.channel}: ${m.perLearner} bytes of Redis per learner after lesson 1 (${m.messages} messages each, ${m.learners.toLocaleString('en')} learners; MEMORY USAGE over their keys, replay log included, and their share of the learner index and of the due-nudge sets; target at most 1,536): ${contributors(m)}; one session value is ${m.sessionBytes} bytes of JSON`,
    )
    .join('\n');
}

async function broadcastSection(): Promise<string> {
  try {
    const out = await spawnScript('scripts/measure-broadcast.ts');
    return ['```', out.trim(), '```'].join('\n');
  } catch (error) {
    return `(broadcast benchmark not run: ${(error as Error).message})`;
  }
}

/** Each section of BENCHMARKS.md this run writes, by marker name; null leaves it as it was. */
const SECTIONS: [string, () => Promise<string | null>][] = [
  [
    'inbound',
    async () => {
      const results: ChannelResult[] = [];
      for (const channel of CHANNELS) results.push(await inbound(channel));
      return inboundSection(results);
    },
  ],
  [
    'memory',
    async () => {
      if (process.env.BENCH_MEMORY === '0') return null;
      const results: MemoryResult[] = [];
      for (const channel of CHANNELS)
        results.push(await measureMemory(redis, runtime, channel, MEMORY_LEARNERS));
      return memorySection(results);
    },
  ],
  ['broadcast', async () => (process.env.BENCH_BROADCAST === '0' ? null : broadcastSection())],
  ['cluster', clusterSection],
  [
    'nudges',
    async () => {
      if (process.env.BENCH_NUDGES === '0') return null;
      const out = await runScript('scripts/measure-nudges.ts');
      return ['```', out.trim(), '```'].join('\n');
    },
  ],
  [
    'interactive',
    async () => {
      if (process.env.BENCH_INTERACTIVE === '0') return null;
      const out = await runScript('scripts/bench/interactive-latency.ts');
      return ['```', out.trim(), '```'].join('\n');
    },
  ],
];

/** The SMS load against Ayni on one Redis and on a Redis Cluster of three masters, in turns. */
async function clusterSection(): Promise<string | null> {
  const script = walkCourse(runtime, 'es', 'sms').map((turn) => turn.send);
  const plan: LoadPlan = {
    channel: 'sms',
    script,
    learners: LEARNERS,
    seconds: SECONDS,
    statuses: new Map(),
  };
  await redis.flushall();
  const result = await clusterRun({ load: (url, tag) => load(url, plan, tag), startServer, stop, env });
  if (!result) return null;
  const { single, cluster } = result;
  return [
    `Measured on ${new Date().toISOString().slice(0, 10)}: the SMS load above, against Ayni on one Redis and on a throwaway Redis Cluster of three masters (no replicas), measured in turns (single, cluster, single, cluster), each keeping its better run.`,
    '',
    '| run | requests/s | p50 ms | p95 ms | p99 ms | errors | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...(
      [
        ['Ayni on one Redis (best of 2)', single],
        ['Ayni on a Redis Cluster, 3 masters (best of 2)', cluster],
      ] as [string, LoadResult][]
    ).map(
      ([name, r]) => `| ${name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.non2xx} |`,
    ),
    '',
    `- Cluster / one Redis throughput: ${(cluster.rps / single.rps).toFixed(2)}`,
  ].join('\n');
}

/** Replaces the text between `<!-- bench:name -->` and `<!-- /bench:name -->`. */
function replaceSection(document: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) return `${document.trimEnd()}\n\n${start}\n${body}\n${end}\n`;
  return `${document.slice(0, from + start.length)}\n${body}\n${document.slice(to)}`;
}

let document = readFileSync('BENCHMARKS.md', 'utf8');
for (const [name, run] of SECTIONS) {
  const body = await run();
  if (body === null) continue;
  console.log(`\n${body}`);
  document = replaceSection(document, name, body);
}
writeFileSync('BENCHMARKS.md', document);
console.log('\nWrote BENCHMARKS.md');

/** Runs a measuring script in its own process, echoing what it prints; rejects on a non-zero exit. */
function spawnScript(file: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

/** Runs a measuring script in its own process, echoing and returning what it prints. */
async function runScript(file: string): Promise<string> {
  try {
    return await spawnScript(file);
  } catch (error) {
    return `(${file} not run: ${(error as Error).message})`;
  }
}
redis.disconnect();
await redisServer.stop();
process.exit(0);
