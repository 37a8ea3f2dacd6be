/**
 * With TRUST_PROXY set, the client's address comes from X-Forwarded-For, which names the rate
 * limits' Redis keys (admin API, console codes and tries). A proxy in front writes addresses
 * there; anything else (a forged header and a hop count larger than the real chain) is refused
 * here, so no made-up string ever becomes part of a key name.
 */
import { isIP } from 'node:net';
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    if (app.config.TRUST_PROXY === false) return; // the socket's address: always an address
    app.addHook('onRequest', async (request, reply) => {
      if (isIP(request.ip) === 0) {
        return reply.code(400).send({ error: 'X-Forwarded-For does not give a client address' });
      }
    });
  },
  { name: 'client-address', dependencies: ['config'] },
);
