/**
 * What the Fastify constructor is told about the network in front of it: which proxies to believe
 * about the client's address (TRUST_PROXY, off by default), and how long a client may take
 * (REQUEST_TIMEOUT_SECONDS, KEEP_ALIVE_TIMEOUT_SECONDS), so that one that trickles its headers or
 * body a byte at a time is cut off instead of holding a connection open for minutes.
 */
import type { ServerOptions } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import type { Config, TrustProxy } from '../config.js';

export interface ServerLimits extends Pick<
  FastifyServerOptions,
  'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'
> {
  trustProxy: false | string[] | ((address: string, hop: number) => boolean);
  http: ServerOptions;
}

/**
 * Fastify 5.12 refuses a bare hop count (it cannot tell a proxy from a client that connects
 * directly), so a count is written out as the function it means. It is only safe when Ayni's port
 * can be reached through the proxies alone; the README says so, and prefers their addresses.
 */
function trustFor(setting: TrustProxy): ServerLimits['trustProxy'] {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

export function serverOptions(config: Config): ServerLimits {
  const requestMs = Math.round(config.REQUEST_TIMEOUT_SECONDS * 1000);
  return {
    trustProxy: trustFor(config.TRUST_PROXY),
    // The whole request, headers and body, must have arrived by then (Node answers 408).
    requestTimeout: requestMs,
    // A socket that sends or reads nothing for that long is closed (a client that stops reading).
    connectionTimeout: requestMs,
    // Between requests on one connection.
    keepAliveTimeout: Math.round(config.KEEP_ALIVE_TIMEOUT_SECONDS * 1000),
    http: {
      // Node's own default is 60 s for the headers alone: no longer than the whole request.
      headersTimeout: requestMs,
      // Node looks for late requests only this often (30 s by default), so a timeout is enforced
      // within a quarter of itself rather than up to 30 s late.
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.round(requestMs / 4))),
    },
  };
}
