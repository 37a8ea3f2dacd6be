/**
 * The console's rate limits, counted by @fastify/rate-limit in Redis (the store and namespace the
 * admin API's limit uses), so every process of a deployment shares the counts. Each is a fixed
 * window: the first hit starts it, and once over the limit the answer says how many seconds are
 * left.
 *
 * The routes call these (the plugin's createRateLimit) instead of naming a limit in their route
 * config, because a login route counts only after its form token and number have been checked,
 * answers 429 with the login page itself, and asking for a code counts twice (per address and per
 * number): a route config gives one limit per route, before the handler, with a generic answer.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
// For the type of app.createRateLimit, which the plugin registered in app.ts decorates.
import type {} from '@fastify/rate-limit';
import { ownerOf } from './auth.js';
import { field, normalizePhone } from './ui/form.js';

/**
 * How many per window: codes asked for, codes tried and admin tokens tried (per 15 minutes),
 * completion codes looked up (per hour).
 */
const LIMITS = {
  codesPerAddress: 10,
  codesPerNumber: 3,
  triesPerAddress: 30,
  adminPerAddress: 10,
  lookupsPerViewer: 60,
};
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const LOOKUP_WINDOW_MS = 60 * 60 * 1000;

export type LimitCheck = { ok: true } | { ok: false; retryAfter: number };
/** Counts one more hit for this request. */
export type Limit = (request: FastifyRequest) => Promise<LimitCheck>;

export interface ConsoleLimits {
  codesByAddress: Limit;
  /** by the number in the form's `phone` field */
  codesByNumber: Limit;
  triesByAddress: Limit;
  adminByAddress: Limit;
  /** completion codes looked up, by the signed-in viewer */
  lookupsByViewer: Limit;
}

export function consoleLimits(app: FastifyInstance): ConsoleLimits {
  if (!app.hasDecorator('createRateLimit'))
    throw new Error('the console needs @fastify/rate-limit registered before it');
  const limit = (max: number, windowMs: number, key: (request: FastifyRequest) => string): Limit => {
    const count = app.createRateLimit({
      max,
      timeWindow: windowMs,
      keyGenerator: (request) => `console:${key(request)}`,
      // Not the app's settings: its allowList lets through everything outside /api/, and a
      // limit that cannot be counted refuses (the page answers 503) rather than waving through.
      allowList: [],
      skipOnError: false,
    });
    return async (request) => {
      const result = await count(request);
      if (result.isAllowed || !result.isExceeded) return { ok: true };
      return { ok: false, retryAfter: result.ttlInSeconds };
    };
  };
  const viewer = (request: FastifyRequest) =>
    request.consoleSession ? ownerOf(request.consoleSession.viewer, app.personIds) : '';
  return {
    codesByAddress: limit(LIMITS.codesPerAddress, LOGIN_WINDOW_MS, (r) => `code:ip:${r.ip}`),
    codesByNumber: limit(
      LIMITS.codesPerNumber,
      LOGIN_WINDOW_MS,
      (r) => `code:phone:${app.personIds.learnerId(normalizePhone(field(r.body, 'phone')) ?? '')}`,
    ),
    triesByAddress: limit(LIMITS.triesPerAddress, LOGIN_WINDOW_MS, (r) => `verify:ip:${r.ip}`),
    adminByAddress: limit(LIMITS.adminPerAddress, LOGIN_WINDOW_MS, (r) => `admin:ip:${r.ip}`),
    lookupsByViewer: limit(LIMITS.lookupsPerViewer, LOOKUP_WINDOW_MS, (r) => `verify-code:${viewer(r)}`),
  };
}
