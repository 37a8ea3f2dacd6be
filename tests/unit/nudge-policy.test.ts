// When nudges are due: NUDGE_AFTER and NUDGE_QUIET_HOURS as configured, quiet hours in the
// learners' time zone (America/La_Paz is UTC-4 all year), and the dedupeKey of each nudge.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { NudgePolicy } from '../../src/conversation/nudge-policy.js';

const HOUR = 3_600_000;
const laPaz = (iso: string) => Date.parse(`${iso}-04:00`);
const policy = new NudgePolicy({
  delays: [2 * HOUR, 24 * HOUR, 72 * HOUR],
  quiet: { from: 20, to: 8 },
  tz: 'America/La_Paz',
});

describe('NUDGE_AFTER and NUDGE_QUIET_HOURS', () => {
  it('reads delays with units, in order, and quiet hours; empty turns them off', () => {
    const config = loadConfig({ NUDGE_AFTER: '30s, 2h,1d ,3d', NUDGE_QUIET_HOURS: '21-7' });
    expect(config.NUDGE_AFTER).toEqual([30_000, 2 * HOUR, 24 * HOUR, 72 * HOUR]);
    expect(config.NUDGE_QUIET_HOURS).toEqual({ from: 21, to: 7 });
    expect(loadConfig({}).NUDGE_AFTER).toEqual([2 * HOUR, 24 * HOUR, 72 * HOUR]);
    expect(loadConfig({ NUDGE_AFTER: '', NUDGE_QUIET_HOURS: '' })).toMatchObject({
      NUDGE_AFTER: [],
      NUDGE_QUIET_HOURS: null,
    });
  });

  it('refuses what it cannot read, saying what to write', () => {
    expect(() => loadConfig({ NUDGE_AFTER: '2 hours' })).toThrow(
      /NUDGE_AFTER: not a delay: 2 hours \(write e\.g\. 2h,1d,3d/,
    );
    expect(() => loadConfig({ NUDGE_AFTER: '1d,2h' })).toThrow(/delays must grow/);
    expect(() => loadConfig({ NUDGE_QUIET_HOURS: '8pm-8am' })).toThrow(ConfigError);
    expect(() => loadConfig({ NUDGE_QUIET_HOURS: '25-8' })).toThrow(/not quiet hours: 25-8/);
  });
});

describe('NudgePolicy', () => {
  it('is due after each delay, outside the quiet hours', () => {
    const base = laPaz('2026-03-10T10:00:00');
    expect(policy.dueAt(base, 0)).toBe(laPaz('2026-03-10T12:00:00'));
    expect(policy.dueAt(base, 1)).toBe(laPaz('2026-03-11T10:00:00'));
    expect(policy.dueAt(base, 2)).toBe(laPaz('2026-03-13T10:00:00'));
    expect(policy.dueAt(base, 3)).toBeNull();
  });

  it('moves a time in the quiet hours to their end, across midnight and within the morning', () => {
    expect(policy.dueAt(laPaz('2026-03-10T18:30:15'), 0)).toBe(laPaz('2026-03-11T08:00:00'));
    expect(policy.dueAt(laPaz('2026-03-10T23:00:00'), 0)).toBe(laPaz('2026-03-11T08:00:00'));
    expect(policy.dueAt(laPaz('2026-03-10T05:59:59'), 0)).toBe(laPaz('2026-03-10T08:00:00'));
    expect(policy.dueAt(laPaz('2026-03-10T06:00:00'), 0)).toBe(laPaz('2026-03-10T08:00:00'));
    expect(policy.dueAt(laPaz('2026-03-10T17:59:59'), 0)).toBe(laPaz('2026-03-10T19:59:59'));
    const daytime = new NudgePolicy({ delays: [HOUR], quiet: { from: 12, to: 14 }, tz: 'America/La_Paz' });
    expect(daytime.dueAt(laPaz('2026-03-10T11:30:00'), 0)).toBe(laPaz('2026-03-10T14:00:00'));
    expect(daytime.dueAt(laPaz('2026-03-10T13:00:00'), 0)).toBe(laPaz('2026-03-10T14:00:00'));
  });

  it('tells the slot from a due time, even one the quiet hours moved', () => {
    const base = laPaz('2026-03-10T19:00:00');
    expect(policy.slotAt(base, policy.dueAt(base, 0)!)).toBe(0);
    expect(policy.slotAt(base, policy.dueAt(base, 1)!)).toBe(1);
    expect(policy.slotAt(base, policy.dueAt(base, 2)!)).toBe(2);
    expect(policy.slotAt(base, policy.dueAt(base, 2)! + 1)).toBeNull();
  });

  it('names each nudge by slot and quiet spell, shared by learners quiet since the same minute', () => {
    const base = laPaz('2026-03-10T10:00:05');
    expect(policy.dedupeKey(base, 0)).toBe(policy.dedupeKey(base + 30_000, 0));
    expect(policy.dedupeKey(base, 0)).not.toBe(policy.dedupeKey(base, 1));
    // The next quiet spell starts after a nudge went, so at least the first delay later: another key.
    expect(policy.dedupeKey(base, 0)).not.toBe(policy.dedupeKey(base + 2 * HOUR, 0));
    const seconds = new NudgePolicy({ delays: [2_000], quiet: null, tz: 'UTC' });
    expect(seconds.dedupeKey(10_000, 0)).not.toBe(seconds.dedupeKey(12_000, 0));
    expect(new NudgePolicy({ delays: [], quiet: null, tz: 'UTC' }).enabled).toBe(false);
  });
});

describe('the local time of the quiet hours', () => {
  /** The local hour, minute and second of `at` in `tz`, read with formatToParts(). */
  function clock(tz: string): (at: number) => { hour: number; minute: number; second: number } {
    const format = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    return (at) => {
      const parts = Object.fromEntries(
        format.formatToParts(at).map((part) => [part.type, Number(part.value)]),
      );
      return { hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
    };
  }

  it('moves a time inside them to 08:00:00 on the local clock, across every change of summer time', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const zones = [
      'America/La_Paz',
      'Europe/Madrid',
      'America/St_Johns',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
    ];
    for (const tz of zones) {
      const quiet = new NudgePolicy({ delays: [HOUR], quiet: { from: 20, to: 8 }, tz });
      const localClock = clock(tz);
      const wrong: string[] = [];
      // Every 37 minutes and 13.5 seconds for a year: every hour of the day, both sides of each change.
      for (let at = start; at < start + 366 * 24 * HOUR; at += 2_233_500) {
        const { hour } = localClock(at);
        const moved = quiet.outOfQuietHours(at);
        const inside = hour >= 20 || hour < 8;
        const end = localClock(moved);
        const right = inside
          ? moved > at && moved - at <= 13 * HOUR && end.hour === 8 && end.minute === 0 && end.second === 0
          : moved === at;
        if (!right) wrong.push(new Date(at).toISOString());
      }
      expect(wrong, tz).toEqual([]);
    }
  });

  it('ends at 08:00 the night the clocks go back and the night they go forward (Madrid)', () => {
    const tz = 'Europe/Madrid';
    const policy = new NudgePolicy({ delays: [HOUR], quiet: { from: 20, to: 8 }, tz });
    // 22:00 local on 24 October 2026 (summer time ends that night) and on 28 March 2026 (it begins).
    expect(new Date(policy.outOfQuietHours(Date.parse('2026-10-24T20:00:00Z'))).toISOString()).toBe(
      '2026-10-25T07:00:00.000Z',
    );
    expect(new Date(policy.outOfQuietHours(Date.parse('2026-03-28T21:00:00Z'))).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });
});

describe('the end of the quiet hours, on nights the clocks change', () => {
  /** The local hour of `at` in `tz`, read with formatToParts(). */
  const hourIn = (tz: string) => {
    const format = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: 'numeric', hourCycle: 'h23' });
    return (at: number) => Number(format.formatToParts(at).find((part) => part.type === 'hour')?.value);
  };

  it('is the first moment outside them, never before the time asked, whatever hour they end', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const settings = [
      { from: 22, to: 2 },
      { from: 23, to: 0 },
      { from: 20, to: 8 },
      { from: 1, to: 3 },
    ];
    for (const tz of ['Europe/Madrid', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago']) {
      const hour = hourIn(tz);
      for (const quiet of settings) {
        const policy = new NudgePolicy({ delays: [HOUR], quiet, tz });
        const isQuiet = (at: number) => {
          const h = hour(at);
          return quiet.from > quiet.to ? h >= quiet.from || h < quiet.to : h >= quiet.from && h < quiet.to;
        };
        const wrong: string[] = [];
        // Every 10 minutes and 7 seconds for a year: every night, both sides of each change.
        for (let at = start; at < start + 366 * 24 * HOUR; at += 607_000) {
          const moved = policy.outOfQuietHours(at);
          const right = isQuiet(at)
            ? moved > at && !isQuiet(moved) && (moved - 1000 <= at || isQuiet(moved - 1000))
            : moved === at;
          if (!right) wrong.push(`${new Date(at).toISOString()} -> ${new Date(moved).toISOString()}`);
        }
        expect(wrong, `${tz} ${quiet.from}-${quiet.to}`).toEqual([]);
      }
    }
  });
});
