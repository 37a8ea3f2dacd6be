/**
 * npm run migrate:ids
 * Moves the data written before ID_SECRET existed (ids that were an unkeyed hash of the phone
 * number) to the keyed ids, on the app's Redis (REDIS_URL, or the primary REDIS_SENTINELS name)
 * under REDIS_PREFIX. Stop every Ayni process first, set
 * ID_SECRET as the new version will have it, run this, then start the new version. Safe to run
 * again, also after a run that stopped half-way. See README.md, "Moving to keyed ids".
 */
import { Redis } from 'ioredis';
import { loadToolConfig } from '../config.js';
import { KeyedPersonIds } from '../privacy/person-ids.js';
import { migrateIds } from './migrate-ids/run.js';
import { connectToolRedis } from './tool-redis.js';

// The migration never checks a signature or sends anything: Twilio's token is not needed.
const config = loadToolConfig();
// It walks the keyspace with SCAN, which on a cluster sees one node only. The data it moves was
// written by a version that ran on one Redis: migrate there, then move to the cluster.
if (config.REDIS_CLUSTER_NODES) {
  console.error(
    'migrate:ids runs on one Redis (REDIS_URL), before a move to Redis Cluster; unset REDIS_CLUSTER_NODES.',
  );
  process.exit(1);
}
// One Redis or a Sentinel-managed primary: wherever the app keeps its data.
const { redis, keys } = await connectToolRedis(config, 'migrate:ids');
// Never a Cluster client (refused above); this says so to the type checker.
if (!(redis instanceof Redis)) throw new Error('migrate:ids runs on one Redis, not a cluster');
try {
  const report = await migrateIds({
    redis,
    keys,
    ids: new KeyedPersonIds(config.ID_SECRET),
    secret: config.ID_SECRET,
  });
  console.log(`People known by their number: ${report.people}`);
  const changes = Object.entries(report.changes);
  for (const [what, n] of changes) console.log(`  ${what}: ${n}`);
  console.log(changes.length ? 'Done.' : 'Nothing to change: already migrated.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
