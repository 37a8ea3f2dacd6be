// The command-line tools reach Redis the way the app does: on a Redis Cluster (REDIS_CLUSTER_NODES)
// content:export reads the learners' suggestions, content:report --stats the learners' figures and
// whatsapp:sync stores its ContentSids there, with REDIS_URL pointing at nothing (and carrying a
// password that must never be printed). migrate:ids follows REDIS_SENTINELS to the primary.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET, loadToolConfig } from '../../src/config.js';
import { Keyspace } from '../../src/store/keyspace.js';
import {
  createRedis,
  redisTargetOf,
  waitUntilReady,
  type RedisClient,
} from '../../src/store/redis-client.js';
import { SuggestionStore } from '../../src/store/suggestion-store.js';
import { WhatsAppContentStore } from '../../src/store/whatsapp-content-store.js';
import { useFakeTwilio } from '../support/fake-twilio.js';
import { startRedisCluster, type RedisClusterHandle } from '../support/redis-cluster.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const PASSWORD = 'never-print-this-password';
/** Nothing listens on port 1: a tool that used REDIS_URL would fail, and name it. */
const DEAD_URL = `redis://:${PASSWORD}@127.0.0.1:1`;
const PREFIX = 'clitools:';
const fake = await useFakeTwilio({
  credentials: { accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken },
});

let cluster: RedisClusterHandle;
let redis: RedisClient;
const keys = new Keyspace(PREFIX, { cluster: true });

beforeAll(async () => {
  cluster = await startRedisCluster({ replicas: 0 });
  redis = createRedis(redisTargetOf(loadToolConfig({ REDIS_CLUSTER_NODES: cluster.seeds })));
  expect(await waitUntilReady(redis, 10_000)).toBe(true);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

/** Runs `src/cli/<name>.ts`; its exit code and everything it printed. */
async function tool(name: string, args: string[], env: Record<string, string>) {
  const all = { PATH: process.env.PATH ?? '', REDIS_URL: DEAD_URL, REDIS_PREFIX: PREFIX, ...env };
  try {
    const { stdout, stderr } = await run(TSX, [path.resolve(`src/cli/${name}.ts`), ...args], { env: all });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the command-line tools on a Redis Cluster', () => {
  const onCluster = () => ({ REDIS_CLUSTER_NODES: cluster.seeds });

  it('content:export reads the suggestions from the cluster', async () => {
    const at = { lang: 'ay', textKey: 'what-is-a-cooperative:intro', day: '2026-03-02' };
    await new SuggestionStore(redis, keys).record('learner-a', { ...at, text: 'Mä empresawa' });
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'ayni-export-')), 'ay.xlsx');
    const args = ['--lang', 'ay', '--lesson', 'what-is-a-cooperative', '--out', out];
    const exported = await tool('content-export', args, onCluster());
    expect(exported.code, exported.output).toBe(0);
    expect(exported.output).not.toContain('did not answer');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const cells = workbook.getWorksheet('ay')!.getColumn(10).values;
    expect(cells).toContain('1× Mä empresawa');
  });

  it('content:report --stats reads the learners’ figures from the cluster', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'ayni-report-'));
    const report = await tool('content-report', ['--stats', '--days', '1', '--out', out], onCluster());
    expect(report.code, report.output).toBe(0);
    expect(readFileSync(path.join(out, 'content-report.html'), 'utf8')).toContain(
      '<h2>Learners (last 1 days)</h2>',
    );
  });

  it('whatsapp:sync stores its ContentSids in the cluster', async () => {
    const synced = await tool('whatsapp-sync', [], {
      ...onCluster(),
      TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
      ID_SECRET: DEVELOPMENT_ID_SECRET,
      TWILIO_API_URL: fake.url,
    });
    expect(synced.code, synced.output).toBe(0);
    const stored = await new WhatsAppContentStore(redis, keys).all();
    expect(Object.keys(stored).sort()).toEqual([...fake.content.created].sort());
  });
});

describe('a tool that cannot reach Redis', () => {
  it('migrate:ids follows REDIS_SENTINELS, not REDIS_URL, and names where it looked', async () => {
    const failed = await tool('migrate-ids', [], {
      REDIS_SENTINELS: '127.0.0.1:1',
      REDIS_SENTINEL_NAME: 'ayni',
    });
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain(
      'migrate:ids: cannot reach Redis at the primary "ayni" of the sentinels 127.0.0.1:1',
    );
  });

  it('names REDIS_URL without its password', async () => {
    const failed = await tool('migrate-ids', [], {});
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(failed.output).not.toContain(PASSWORD);
  });
});
