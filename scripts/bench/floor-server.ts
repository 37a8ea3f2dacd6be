/**
 * The floor for the inbound benchmark: the least a Twilio webhook can do. It parses the same
 * form, checks the signature with the same code as Ayni (src/routes/twilio/request-signature.ts),
 * does one Redis GET and one SET, and answers with TwiML written by the same code as Ayni's
 * (src/routes/twilio/twiml.ts). Ayni's throughput is compared with this, on the same machine, in
 * the same run. Until 2026-12-02 both used the twilio library's validateRequest and
 * MessagingResponse; when Ayni moved off them, so did the floor, so that the ratio still measures
 * what Ayni does beyond the least, not which helpers it calls.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { requestSignatureCheck } from '../../src/routes/twilio/request-signature.js';
import { messagingTwiml } from '../../src/routes/twilio/twiml.js';

const port = Number(process.env.PORT ?? 3100);
const token = process.env.TWILIO_AUTH_TOKEN ?? '';
const publicUrl = (process.env.PUBLIC_URL ?? '').replace(/\/+$/, '');
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.REDIS_PREFIX ?? 'floor:';
const signatureMatches = requestSignatureCheck(token);

const app = Fastify({ logger: false });
await app.register(formbody);
app.post<{ Body: Record<string, string> }>('/twilio/messages', async (request, reply) => {
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || !signatureMatches(signature, publicUrl + request.url, request.body)) {
    return reply.code(403).send('invalid signature');
  }
  const key = `${prefix}${request.body.From}`;
  const previous = await redis.get(key);
  await redis.set(key, String(Number(previous ?? 0) + 1));
  return reply.type('text/xml').send(messagingTwiml(['ok']));
});
await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => {
  void app.close().then(() => {
    redis.disconnect();
    process.exit(0);
  });
});
