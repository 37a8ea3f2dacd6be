/**
 * The coordinator console's keys named by a coordinator's id (login codes, per-number and
 * per-coordinator rate limits, broadcast lists, test chats), and the owner recorded on each
 * broadcast sent from the console. Keys of a number no kept number explains (someone who typed
 * a number at the login form) only count attempts for a few minutes: deleted.
 */
import { eachKey, isTombstone, type Migration } from './migration.js';
import { moveKey, PART } from './redis-keys.js';

export async function rekeyConsoleRecords(m: Migration): Promise<void> {
  const { keys, redis } = m;
  const named: [string, (owner: string) => string][] = [
    ['login codes', (id) => keys.consoleCode(id)],
    ['login rate limits', (id) => keys.legacyConsoleRateLimit(`code:phone:${id}`)],
    ['code check rate limits', (id) => keys.legacyConsoleRateLimit(`verify-code:${id}`)],
    ['broadcast lists', (id) => keys.consoleBroadcasts(id)],
    ['test chat settings', (id) => keys.consoleTry(id, 'cfg')],
    ['test chat transcripts', (id) => keys.consoleTry(id, 'log')],
  ];
  for (const [what, name] of named) {
    await eachKey(m, name(PART), async (key, [id = '']) => {
      const to = m.map.rekey(id);
      if (!to) return;
      if (isTombstone(to)) m.count(`console ${what}: unknown number, deleted`, await redis.del(key));
      else m.count(`console ${what}: ${await moveKey(redis, key, name(to))}`);
    });
  }
  await eachKey(m, keys.consoleBroadcast(PART), async (key) => {
    const owner = await redis.hget(key, 'owner');
    const to = owner ? m.map.rekey(owner) : null;
    if (!to) return;
    await redis.hset(key, 'owner', to);
    m.count('console broadcasts: owner rekeyed');
  });
}
