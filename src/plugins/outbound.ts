/**
 * The outbound sender as a Fastify decoration (`app.outbound`), on the app's Redis, with its
 * workers running in this process unless `runWorker` is false (e.g. web-only processes).
 * Closed with the app: workers finish the sends in flight first.
 */
import fp from 'fastify-plugin';
import { OutboundSender, type OutboundSenderOptions } from '../messaging/outbound.js';
import { STATUS_PATH } from '../messaging/delivery-log.js';
import { createTwilioClient } from '../messaging/twilio-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    outbound: OutboundSender;
  }
}

export interface OutboundPluginOptions extends Omit<
  OutboundSenderOptions,
  'redis' | 'twilio' | 'statusCallbackUrl' | 'logger'
> {
  /** TWILIO_ACCOUNT_SID; without it messages are enqueued but this process sends nothing */
  accountSid?: string | undefined;
  authToken: string;
  /** TWILIO_API_URL */
  apiUrl?: string | undefined;
  /** PUBLIC_URL; the status callback is PUBLIC_URL + '/twilio/status' */
  publicUrl: string;
  /** twilio request timeout, ms; keep below inFlightMs. Default 15 000. */
  requestTimeoutMs?: number;
  /** run the send workers in this process; default true */
  runWorker?: boolean;
}

export default fp<OutboundPluginOptions>(
  async (app, options) => {
    const { accountSid, authToken, apiUrl, publicUrl, requestTimeoutMs, runWorker, ...rest } = options;
    const sender = new OutboundSender({
      ...rest,
      redis: app.redis,
      twilio: createTwilioClient({
        accountSid: accountSid ?? '',
        authToken,
        apiUrl,
        timeout: requestTimeoutMs ?? 15_000,
      }),
      statusCallbackUrl: publicUrl.replace(/\/+$/, '') + STATUS_PATH,
      logger: app.log.child({ component: 'outbound' }),
    });
    app.decorate('outbound', sender);
    if (runWorker !== false && accountSid) sender.start();
    else if (runWorker !== false)
      app.log.warn('TWILIO_ACCOUNT_SID is not set: outbound messages wait in the queue');
    app.addHook('onClose', async () => {
      await sender.close();
    });
  },
  { name: 'outbound', dependencies: ['redis'] },
);
