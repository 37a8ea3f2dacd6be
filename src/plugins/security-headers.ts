/**
 * Security headers on every response, whatever the route: Twilio's webhooks, the admin API,
 * health checks, the console, errors and 404s. The default policy suits JSON, TwiML and CSV:
 * nothing may load, nothing may frame it. The console and /docs serve HTML and set their own
 * Content-Security-Policy in their own onSend hooks, which run after this one.
 *
 * Kept to one object of fixed strings set in one hook: the webhook is the hot path.
 */
import fp from 'fastify-plugin';

const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** One year; no includeSubDomains, which would bind hosts this deployment does not run. */
const HSTS = 'max-age=31536000';

export function securityHeaders(publicUrl: string): Record<string, string> {
  return {
    'content-security-policy': DEFAULT_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    // Only when the public address is HTTPS: HSTS over plain HTTP would be ignored, or lock out a
    // deployment that has no certificate yet.
    ...(new URL(publicUrl).protocol === 'https:' ? { 'strict-transport-security': HSTS } : {}),
  };
}

export default fp(
  async (app) => {
    const headers = securityHeaders(app.config.PUBLIC_URL);
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.headers(headers);
      done(null, payload);
    });
  },
  { name: 'security-headers', dependencies: ['config'] },
);
