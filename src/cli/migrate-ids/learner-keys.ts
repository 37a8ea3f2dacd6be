/**
 * A learner's own keys, tagged `{<id>}`: session, lock, current group and replay log move to the
 * new id. Keys of an id no kept number explains, and without a session, are what an erasure left
 * behind: deleted. Then every session's last message ids seed its replay log, so that a request
 * handled before the migration is not acted on again after it.
 */
import { FINGERPRINT_BYTES } from '../../privacy/person-ids.js';
import type { SessionRecord } from '../../store/session-store.js';
import { REMEMBER_LUA } from '../../store/session-turns.js';
import { eachKey, isTombstone, type Migration } from './migration.js';
import { moveKey, PART } from './redis-keys.js';

type Named = (learner: string) => string;

export async function moveLearnerKeys(m: Migration): Promise<void> {
  const { keys } = m;
  const families: [string, Named][] = [
    ['session', (id) => keys.session(id)],
    ['lock', (id) => keys.lock(id)],
    ['group', (id) => keys.learnerGroup(id)],
    ['replay log', (id) => keys.replayLog(id)],
  ];
  for (const [what, named] of families) {
    await eachKey(m, named(PART), async (key, [id = '']) => {
      const to = m.map.rekey(id);
      if (!to) return;
      if (isTombstone(to)) {
        if (!(await m.redis.exists(keys.session(id))))
          m.count(`${what}: orphan deleted`, await m.redis.del(key));
        return;
      }
      const merge = what === 'replay log' ? (from: string) => mergeReplayLog(m, from, to) : undefined;
      m.count(`${what}: ${await moveKey(m.redis, key, named(to), merge)}`);
    });
  }
}

/** Every fingerprint of the old log into the new one (a turn under the new id may have made it). */
async function mergeReplayLog(m: Migration, from: string, learner: string): Promise<void> {
  const log = await m.redis.getBuffer(from);
  for (let at = 0; log && at < log.length; at += FINGERPRINT_BYTES) {
    const fingerprint = log.subarray(at, at + FINGERPRINT_BYTES);
    await m.redis.eval(REMEMBER_LUA, 1, m.keys.replayLog(learner), fingerprint);
  }
}

/** The message ids a session remembers, into its replay log (once: remembering twice is a no-op). */
export async function seedReplayLogs(m: Migration): Promise<void> {
  await eachKey(m, m.keys.session(PART), async (key, [id = '']) => {
    if (m.map.rekey(id) !== null) return; // not (yet) under its new id
    const raw = await m.redis.get(key);
    const seen = raw ? (JSON.parse(raw) as SessionRecord).seen : [];
    for (const sid of seen) {
      const fingerprint = m.ids.messageFingerprint(sid);
      const added = await m.redis.eval(REMEMBER_LUA, 1, m.keys.replayLog(id), fingerprint);
      if (added === 1) m.count('replay log: message ids remembered');
    }
  });
}
