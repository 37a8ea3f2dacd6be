/**
 * npm run whatsapp:sync
 * Creates WhatsApp's buttons and lists (Twilio Content resources, twilio/quick-reply and
 * twilio/list-picker) from the course, per language, reusing those that did not change and
 * removing those no longer used; stores their ContentSids in Redis (REDIS_URL). Needs
 * TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (TWILIO_API_URL for a stand-in Twilio). Run it after
 * every content deploy; until it has run, WhatsApp learners get numbered text, as on SMS.
 */
import { loadConfig } from '../config.js';
import { describeSync, runWhatsAppSync } from '../content-tools/whatsapp-sync.js';
import { createTwilioClient } from '../messaging/twilio-client.js';
import { buildContentRuntime } from '../plugins/content-runtime.js';
import { Keyspace } from '../store/keyspace.js';
import { createRedis, waitUntilReady } from '../store/redis-client.js';
import { WhatsAppContentStore } from '../store/whatsapp-content-store.js';

const config = loadConfig();
if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
  console.error('whatsapp:sync needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (README, "Configuration").');
  process.exit(2);
}
const runtime = buildContentRuntime({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR });
const redis = createRedis(config.REDIS_URL);
if (!(await waitUntilReady(redis, 3_000))) {
  console.error(`Cannot reach Redis at ${config.REDIS_URL}`);
  process.exit(1);
}
const client = createTwilioClient({
  accountSid: config.TWILIO_ACCOUNT_SID,
  authToken: config.TWILIO_AUTH_TOKEN,
  apiUrl: config.TWILIO_API_URL,
});
try {
  const result = await runWhatsAppSync(
    runtime,
    client,
    new WhatsAppContentStore(redis, new Keyspace(config.REDIS_PREFIX)),
  );
  for (const line of describeSync(result)) console.log(line);
} catch (error) {
  console.error(`whatsapp:sync failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await redis.quit();
}
