/**
 * What the Fastify constructor is told about the network in front of it: which proxies to believe
 * about the client's address (TRUST_PROXY, off by default).
 */
import type { Config, TrustProxy } from '../config.js';

export interface ServerLimits {
  trustProxy: false | string[] | ((address: string, hop: number) => boolean);
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
  return { trustProxy: trustFor(config.TRUST_PROXY) };
}
