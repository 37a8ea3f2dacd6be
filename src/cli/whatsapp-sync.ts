/**
 * npm run whatsapp:sync
 * Creates WhatsApp's buttons and lists (Twilio Content resources, twilio/quick-reply and
 * twilio/list-picker) from the course, per language, reusing those that did not change and
 * removing those no longer used; stores their ContentSids in the app's Redis (REDIS_URL, or
 * REDIS_CLUSTER_NODES, or REDIS_SENTINELS). Needs
 * TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (TWILIO_API_URL for a stand-in Twilio). Run it after
 * every content deploy; until it has run, WhatsApp learners get numbered text, as on SMS.
 */
import { loadToolConfig } from '../config.js';
import { describeSync, runWhatsAppSync } from '../content-tools/whatsapp-sync.js';
import { createTwilioClient } from '../messaging/twilio-client.js';
import { buildContentRuntime } from '../plugins/content-runtime.js';
import { WhatsAppContentStore } from '../store/whatsapp-content-store.js';
import { connectToolRedis } from './tool-redis.js';

const config = loadToolConfig();
if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
  console.error('whatsapp:sync needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (README, "Configuration").');
  process.exit(2);
}
const runtime = buildContentRuntime({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR });
const { redis, keys } = await connectToolRedis(config, 'whatsapp:sync');
const client = createTwilioClient({
  accountSid: config.TWILIO_ACCOUNT_SID,
  authToken: config.TWILIO_AUTH_TOKEN,
  apiUrl: config.TWILIO_API_URL,
});
try {
  const result = await runWhatsAppSync(runtime, client, new WhatsAppContentStore(redis, keys));
  for (const line of describeSync(result)) console.log(line);
} catch (error) {
  console.error(`whatsapp:sync failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await redis.quit();
}
