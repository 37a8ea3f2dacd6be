/**
 * The outbound sender's delivery log: per message (dedupeKey) its counters, its recipients (a
 * hash by learner id) and each recipient's send claim (a key named by message and learner), and
 * per Twilio MessageSid a record naming both (`d`, `l`). They expire by themselves (30 and 3
 * days); until then they must name the recipient as the sender now does, or a message could go
 * twice. A dedupe key may itself name a person (`joined:<group>:<learner>`): then all of that
 * message's keys move to the rekeyed name.
 */
import { ID_SHAPE } from './id-map.js';
import { eachKey, rekeyFields, type Migration } from './migration.js';
import { moveKey, PART } from './redis-keys.js';

/** The dedupe key with every id in it rekeyed (ids are its only 22-character parts). */
export function rekeyDedupeKey(m: Migration, dedupeKey: string): string {
  return dedupeKey
    .split(':')
    .map((part) => (ID_SHAPE.test(part) ? (m.map.rekey(part) ?? part) : part))
    .join(':');
}

export async function rekeyDeliveryRecords(m: Migration): Promise<void> {
  const { keys, redis } = m;
  // Every key of a message has this shape: `:stats`, `:rcpt`, `:counted`, or a learner's claim.
  await eachKey(m, keys.deliveryClaim(PART, PART), async (key, [dedupeKey = '', last = '']) => {
    const to = keys.deliveryClaim(
      rekeyDedupeKey(m, dedupeKey),
      ID_SHAPE.test(last) ? (m.map.rekey(last) ?? last) : last,
    );
    if (to !== key) m.count(`delivery log keys: ${await moveKey(redis, key, to)}`);
  });
  await eachKey(m, keys.deliveryRecipients(PART), async (key) =>
    m.count('delivery recipients: ids rekeyed', await rekeyFields(m, key)),
  );
  await eachKey(m, keys.deliverySid(PART), async (key) => {
    const [dedupeKey, learner] = await redis.hmget(key, 'd', 'l');
    if (!dedupeKey || !learner) return;
    const d = rekeyDedupeKey(m, dedupeKey);
    const l = m.map.rekey(learner) ?? learner;
    if (d === dedupeKey && l === learner) return;
    await redis.hset(key, 'd', d, 'l', l); // HSET keeps the key's TTL
    m.count('delivery sid records: rekeyed');
  });
}
