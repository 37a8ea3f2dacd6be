// Golden conversations: each file in tests/golden/scenarios is a list of inbound texts with the
// replies and the state expected after each. Every turn goes through the real engine and Redis,
// so the snapshot is saved and restored between turns, and a reply that an entry action sent
// once must not come back when the snapshot is restored.
//
// After an intended change to content or behaviour, regenerate the expectations with
//   UPDATE_GOLDEN=1 npx vitest run tests/golden
// and read the diff before committing it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { parseAddress } from '../../src/privacy/phone.js';
import { realContent } from '../support/content.js';
import { FakeClock, testEngine } from '../support/engine.js';
import { useTestRedis } from '../support/test-redis.js';

const scenarioFile = z.object({
  description: z.string(),
  from: z.string(),
  start: z.string().default('2026-03-02T09:00:00-04:00'),
  turns: z.array(
    z.object({
      send: z.string(),
      /** time that passes before this message, e.g. 30s, 10m, 3h, 2d (default 1m) */
      after: z.string().optional(),
      replies: z.array(z.string()).optional(),
      state: z.string().optional(),
    }),
  ),
});

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const dir = path.join(import.meta.dirname, 'scenarios');
const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(text = '1m'): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error(`bad duration ${text}`);
  return Number(match[1]) * (units[match[2] as string] as number);
}

const { redis, prefix } = useTestRedis();
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('golden conversations', () => {
  it('has scenarios to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const full = path.join(dir, file);
    const scenario = scenarioFile.parse(parse(readFileSync(full, 'utf8')));
    const clock = new FakeClock(Date.parse(scenario.start));
    const { engine } = testEngine(realContent(), redis, `${prefix}${file}:`, clock);
    const address = parseAddress(scenario.from);
    if (!address) throw new Error(`${file}: from is not an SMS or WhatsApp address`);

    for (const [i, turn] of scenario.turns.entries()) {
      clock.advance(duration(turn.after));
      const result = await engine.handle({
        address,
        body: turn.send,
        messageSid: `SM${String(i + 1).padStart(32, '0')}`,
      });
      if (UPDATE) {
        turn.replies = result.replies;
        turn.state = result.state;
        continue;
      }
      expect({ turn: i + 1, send: turn.send, replies: result.replies, state: result.state }).toEqual({
        turn: i + 1,
        send: turn.send,
        replies: turn.replies ?? [],
        state: turn.state,
      });
    }
    if (UPDATE) writeFileSync(full, stringify(scenario, { lineWidth: 0, blockQuote: 'literal' }));
  });
});
