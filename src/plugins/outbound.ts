/**
 * The outbound sender as a Fastify decoration (`app.outbound`), on the app's stores, with its
 * workers running in this process unless OUTBOUND_WORKER is false (e.g. web-only processes).
 * Closed with the app: workers finish the sends in flight first.
 */
import fp from 'fastify-plugin';
import { isLocalMode } from '../config.js';
import { OutboundSender } from '../messaging/outbound.js';
import { STATUS_PATH } from '../messaging/delivery-log.js';
import { createTwilioClient } from '../messaging/twilio-client.js';
import { redisTargetOf } from '../store/redis-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    outbound: OutboundSender;
  }
}

/** The twilio client's request timeout; keep below the sender's inFlightMs (45 s). */
const TWILIO_TIMEOUT_MS = 15_000;

export default fp(
  async (app) => {
    const { config } = app;
    const sender = new OutboundSender({
      stores: app.stores,
      redisTarget: redisTargetOf(config),
      queueName: config.OUTBOUND_QUEUE,
      // Without TWILIO_ACCOUNT_SID (as in local mode) messages are enqueued but this process
      // sends nothing, so an empty token is never used.
      twilio: createTwilioClient({
        accountSid: config.TWILIO_ACCOUNT_SID ?? '',
        authToken: config.TWILIO_AUTH_TOKEN ?? '',
        apiUrl: config.TWILIO_API_URL,
        timeout: TWILIO_TIMEOUT_MS,
      }),
      smsFrom: config.TWILIO_SMS_FROM,
      whatsappFrom: config.TWILIO_WHATSAPP_FROM,
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      // Secret bodies (login codes) wait sealed with a key derived from the server's secret,
      // which every process of a deployment has (its own key, not the one ids are made with).
      sealKey: config.ID_SECRET,
      statusCallbackUrl: config.PUBLIC_URL.replace(/\/+$/, '') + STATUS_PATH,
      rates: { sms: config.SMS_RATE_PER_SECOND, whatsapp: config.WHATSAPP_RATE_PER_SECOND },
      clock: app.clock,
      logger: app.log.child({ component: 'outbound' }),
    });
    app.decorate('outbound', sender);
    if (config.OUTBOUND_WORKER && config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN) sender.start();
    // Local mode says it sends nothing in its own line (local-mode.ts).
    else if (config.OUTBOUND_WORKER && !isLocalMode(config))
      app.log.warn('TWILIO_ACCOUNT_SID is not set: outbound messages wait in the queue');
    app.addHook('onClose', async () => {
      await sender.close();
    });
  },
  { name: 'outbound', dependencies: ['config', 'stores'] },
);
