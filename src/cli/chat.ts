/**
 * npm run chat -- [--phone +59170000000] [--channel sms|whatsapp]
 * Talk to Ayni in a terminal as a given phone number, through the same engine and Redis as the
 * webhook (REDIS_URL), with each reply's SMS segment count.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadToolConfig } from '../config.js';
import { buildContentRuntime } from '../plugins/content-runtime.js';
import { createConversationEngine } from '../plugins/create-engine.js';
import { createStores } from '../plugins/create-stores.js';
import { segmentInfo } from '../i18n/sms-spelling.js';
import { KeyedPersonIds } from '../privacy/person-ids.js';
import { parseAddress } from '../privacy/phone.js';
import { connectToolRedis } from './tool-redis.js';

const { values } = parseArgs({
  options: {
    phone: { type: 'string', default: '+59170000000' },
    channel: { type: 'string', default: 'sms' },
  },
});
const address = parseAddress(values.channel === 'whatsapp' ? `whatsapp:${values.phone}` : values.phone);
if (!address) {
  console.error('--phone must be an E.164 number such as +59171234567, --channel sms or whatsapp');
  process.exit(2);
}

// The chat needs no Twilio credentials: it never checks a signature or sends through Twilio.
const config = loadToolConfig();
const runtime = buildContentRuntime({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR });
const { redis, keys } = await connectToolRedis(config, 'chat');
const stores = createStores(redis, keys, new KeyedPersonIds(config.ID_SECRET));
const { engine } = createConversationEngine(runtime, stores);

console.log(`Talking to Ayni as ${values.phone} over ${address.channel}. Ctrl+D to leave.\n`);
const input = createInterface({
  input: process.stdin,
  output: process.stdout,
  terminal: process.stdin.isTTY,
});
for (;;) {
  let line: string;
  try {
    line = await input.question('> ');
  } catch {
    break; // end of input
  }
  const turn = await engine.handle({
    address,
    body: line,
    messageSid: `SM${randomBytes(16).toString('hex')}`,
  });
  for (const reply of turn.replies) {
    const info = segmentInfo(reply);
    console.log(
      `\n${reply}\n  [${info.segments} SMS segment(s), ${info.encoding}, ${[...reply].length} characters]`,
    );
  }
  if (!turn.replies.length) console.log('  (no reply)');
  console.log(`  state: ${turn.state}\n`);
}
input.close();
redis.disconnect();
