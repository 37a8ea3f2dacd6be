/**
 * The outbound sender's delivery log: per message (dedupeKey) its counters, its recipients (a
 * hash by recipient) and each recipient's send claim (a key named by message and recipient), and
 * per Twilio MessageSid a record of its message (`d`). They expire by themselves (30 and 3 days);
 * until then they must name the recipient as the sender now does, or a message could go twice.
 * Before ID_SECRET the log named a recipient by their learner id (and the sid record kept it as
 * `l`); it now names them by recipientKey(dedupeKey, learner id) (src/messaging/recipient-key.ts),
 * so a learner id found there becomes the recipient key of the rekeyed id. A dedupe key may itself
 * name a person (`joined:<group>:<learner>`): then all of that message's keys move to the rekeyed
 * name, first, so that recipient keys are made from the name the sender will use.
 */
import { recipientKey } from '../../messaging/recipient-key.js';
import { ID_SHAPE } from './id-map.js';
import { eachKey, type Migration } from './migration.js';
import { moveKey, PART } from './redis-keys.js';

/** The dedupe key with every id in it rekeyed (ids are its only 22-character parts). */
export function rekeyDedupeKey(m: Migration, dedupeKey: string): string {
  return dedupeKey
    .split(':')
    .map((part) => (ID_SHAPE.test(part) ? (m.map.rekey(part) ?? part) : part))
    .join(':');
}

/** How the sender now names the recipient the old log named by learner id `id`. */
function recipientOf(m: Migration, dedupeKey: string, id: string): string {
  return recipientKey(dedupeKey, m.map.rekey(id) ?? id);
}

export async function rekeyDeliveryRecords(m: Migration): Promise<void> {
  const { keys, redis } = m;
  // Every key of a message has this shape: `:stats`, `:rcpt`, `:counted`, or a recipient's claim.
  await eachKey(m, keys.deliveryClaim(PART, PART), async (key, [dedupeKey = '', last = '']) => {
    const rekeyed = rekeyDedupeKey(m, dedupeKey);
    const to = keys.deliveryClaim(rekeyed, ID_SHAPE.test(last) ? recipientOf(m, rekeyed, last) : last);
    if (to !== key) m.count(`delivery log keys: ${await moveKey(redis, key, to)}`);
  });
  await eachKey(m, keys.deliveryRecipients(PART), async (key, [dedupeKey = '']) => {
    for (const [field, outcome] of Object.entries(await redis.hgetall(key))) {
      if (!ID_SHAPE.test(field)) continue;
      // One key, one MULTI: the field under the new name wins if both exist.
      await redis
        .multi()
        .hsetnx(key, recipientOf(m, dedupeKey, field), outcome)
        .hdel(key, field)
        .exec();
      m.count('delivery recipients: named by recipient key');
    }
  });
  await eachKey(m, keys.deliverySid(PART), async (key) => {
    const [dedupeKey, learner] = await redis.hmget(key, 'd', 'l');
    if (!dedupeKey) return;
    const d = rekeyDedupeKey(m, dedupeKey);
    if (d === dedupeKey && learner === null) return;
    // HSET and HDEL keep the key's TTL; the sender no longer keeps who a message went to.
    await redis.multi().hset(key, 'd', d).hdel(key, 'l').exec();
    m.count('delivery sid records: rekeyed');
  });
}
