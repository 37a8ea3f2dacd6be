/** Configuration from the environment, checked once at start-up; the README's Configuration table lists it. */
import { isIP } from 'node:net';
import { z } from 'zod';
import ms, { type StringValue } from 'ms';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /**
   * Seed nodes of a Redis Cluster (`host:port,host:port`): every Redis user in Ayni then uses a
   * cluster client and REDIS_URL is ignored. A few masters are enough as seeds; the client learns
   * the rest from them.
   */
  REDIS_CLUSTER_NODES: z.string().optional().transform(parseHostPorts),
  /** Sentinels watching Ayni's primary (`host:port,…`), with REDIS_SENTINEL_NAME; REDIS_URL is then ignored. */
  REDIS_SENTINELS: z.string().optional().transform(parseHostPorts),
  /** The name the sentinels know the primary by (`sentinel monitor <name> …`). */
  REDIS_SENTINEL_NAME: z.string().optional(),
  /** Prefix of every Redis key, so Ayni can share a Redis with other software. */
  REDIS_PREFIX: z.string().default('ayni:'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  /** Checks the webhooks' signatures. Required in production; without it elsewhere, local mode. */
  TWILIO_AUTH_TOKEN: z
    .string()
    .optional()
    .transform((token) => token || undefined),
  TWILIO_SMS_FROM: z.string().optional(),
  TWILIO_WHATSAPP_FROM: z.string().optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
  TWILIO_API_URL: z.url().optional(),
  /** At least 32 characters: a short token can be guessed through the API or the console login. */
  ADMIN_TOKEN: z
    .string()
    .min(32, 'ADMIN_TOKEN must be at least 32 characters; make one with `openssl rand -hex 32`')
    .optional(),
  /**
   * Signs the coordinator console's cookies (at least 32 characters). Without it, a key derived
   * from TWILIO_AUTH_TOKEN is used, which every process of one deployment shares (in local mode,
   * a random key for the run).
   */
  CONSOLE_SECRET: z.string().min(32, 'CONSOLE_SECRET must be at least 32 characters').optional(),
  /** Base name of the outbound queues (`<name>-sms`, `<name>-whatsapp`). */
  OUTBOUND_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('outbound'),
  /** Messages per second per sender: about 1 for an SMS long code, 80 for a WhatsApp sender. */
  SMS_RATE_PER_SECOND: z.coerce.number().positive().default(1),
  WHATSAPP_RATE_PER_SECOND: z.coerce.number().positive().default(80),
  /** How long a group-quiz question stays open when not everyone answers. */
  QUIZ_TIMEOUT_SECONDS: z.coerce.number().positive().default(600),
  /** Run the outbound send and quiz timer workers in this process (false for web-only processes). */
  OUTBOUND_WORKER: z.stringbool().default(true),
  /** Requests per minute per client address on /api routes (the admin API). */
  ADMIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /** Name of the BullMQ queue of broadcast fan-outs. */
  BROADCAST_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('broadcasts'),
  /** Learners read per page when a broadcast fans out. */
  BROADCAST_PAGE_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * A fan-out pauses while a sender lane has more than this many seconds of its rate waiting, so
   * a big broadcast does not queue ahead of a group quiz for long. 0: no pause.
   */
  BROADCAST_BACKLOG_SECONDS: z.coerce.number().min(0).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TZ: z.string().default('America/La_Paz'),
  /** Hours without a message after which a learner is welcomed back to the step they were on. */
  RESUME_AFTER_HOURS: z.coerce.number().positive().default(6),
  FLOWS_DIR: z.string().default('flows'),
  LOCALES_DIR: z.string().default('locales'),
  /**
   * Keys every id that stands for a person, completion codes and the replay log (HMAC). Required
   * in production; elsewhere DEVELOPMENT_ID_SECRET stands in. Changing it orphans every record.
   */
  ID_SECRET: z
    .string({
      error: 'ID_SECRET is required in production: at least 32 random characters (README, "Configuration")',
    })
    .min(32, 'ID_SECRET must be at least 32 characters'),
  // --- The HTTP surface (issue 10): who the client is, how long a request may take, /docs ---
  /**
   * Which proxies' X-Forwarded-For to believe: off (the default: the socket's address is the
   * client), the number of proxies in front, or their addresses (comma-separated, CIDR allowed).
   */
  TRUST_PROXY: z.string().default('').transform(parseTrustProxy),
  /** A request's headers and body must arrive within this; a client that trickles is cut off. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(30),
  /**
   * How long an idle keep-alive connection stays open. Above a load balancer's usual 60 s, so the
   * balancer closes first and never sends on a connection Ayni has just closed.
   */
  KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(72),
  /** Serve the OpenAPI document and its UI at /docs (to the administrator only). */
  API_DOCS: z.stringbool().default(false),
  /**
   * Repeating broadcasts run at most once an hour unless this is true: for tests and demonstrations
   * that watch a cron fire seconds apart. Never in production.
   */
  BROADCAST_ALLOW_FAST_REPEAT: z.stringbool().default(false),
  // --- Nudges for learners who go quiet mid-lesson (issue 14) ---
  /**
   * Delays after a learner's last message at which a nudge goes out while they stand mid-lesson:
   * `2h,1d,3d` (units s, m, h, d). Empty: no nudges.
   */
  NUDGE_AFTER: z.string().default('2h,1d,3d').transform(parseNudgeDelays),
  /** Local hours (in TZ) when no nudge goes out, `from-to`: one due then waits for `to`. Empty: none. */
  NUDGE_QUIET_HOURS: z.string().default('20-8').transform(parseQuietHours),
  /** The approved WhatsApp template (HX…) for a nudge outside the 24-hour window; variables 1 lesson, 2 step, 3 steps. */
  NUDGE_TEMPLATE_SID: z.string().optional(),
  /** WhatsApp learners outside the window and without a template get the nudge by SMS. */
  NUDGE_SMS_FALLBACK: z.stringbool().default(false),
  /** How often the nudge worker looks for due nudges (ms); a nudge goes out within this of its time. */
  NUDGE_POLL_MS: z.coerce.number().int().min(50).max(5000).default(1000),
});

/** A Redis node to connect to, from REDIS_CLUSTER_NODES or REDIS_SENTINELS. */
export interface HostPort {
  host: string;
  port: number;
}

/** `host:port,host:port` to a list (empty or unset: undefined); says which entry is wrong. */
function parseHostPorts(value: string | undefined, context: z.RefinementCtx): HostPort[] | undefined {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  const nodes: HostPort[] = [];
  for (const entry of entries) {
    const match = /^(.+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      context.addIssue({
        code: 'custom',
        message: `not host:port: ${entry} (e.g. 10.0.0.1:6379,10.0.0.2:6379)`,
      });
      return z.NEVER;
    }
    nodes.push({ host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port });
  }
  return nodes;
}

/** Local hours without nudges: from `from` o'clock until `to` o'clock (across midnight when from > to). */
export interface QuietHours {
  from: number;
  to: number;
}

/** `2h,1d,3d` to milliseconds, in order; each a whole number with a unit (s, m, h, d). */
function parseNudgeDelays(value: string, context: z.RefinementCtx): number[] {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const delays: number[] = [];
  for (const part of parts) {
    const delay = /^\d+\s*[smhd]$/.test(part) ? ms(part as StringValue) : NaN;
    if (!Number.isFinite(delay) || delay <= 0) {
      context.addIssue({
        code: 'custom',
        message: `not a delay: ${part} (write e.g. 2h,1d,3d; units s, m, h, d)`,
      });
      return z.NEVER;
    }
    if (delays.length > 0 && delay <= delays[delays.length - 1]!) {
      context.addIssue({ code: 'custom', message: `delays must grow: ${part} comes after a longer one` });
      return z.NEVER;
    }
    delays.push(delay);
  }
  return delays;
}

/** `20-8` to { from: 20, to: 8 }; empty to null (no quiet hours). */
function parseQuietHours(value: string, context: z.RefinementCtx): QuietHours | null {
  const text = value.trim();
  if (text === '') return null;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (!match || from > 23 || to > 23 || from === to) {
    context.addIssue({ code: 'custom', message: `not quiet hours: ${text} (write e.g. 20-8, hours 0-23)` });
    return z.NEVER;
  }
  return { from, to };
}

/**
 * ID_SECRET in local mode (no TWILIO_AUTH_TOKEN, NODE_ENV not production): fixed, so development
 * data survives restarts. Public, so never with a connected number.
 */
export const DEVELOPMENT_ID_SECRET = 'ayni-development-id-secret-never-for-production';

/** Fastify's trustProxy: false, a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

function parseTrustProxy(value: string, context: z.RefinementCtx): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'false' || text === 'off' || text === '0') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !isProxyAddress(entry));
  if (wrong.length === 0) return entries;
  context.addIssue({
    code: 'custom',
    message:
      text === 'true'
        ? 'true would believe any X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses'
        : `not a proxy address: ${wrong.join(', ')} (give a hop count, or addresses such as 10.0.0.1 or 10.0.0.0/8)`,
  });
  return z.NEVER;
}

export type Config = z.infer<typeof schema>;

// ---- local mode: the first `npm start` on a fresh machine ----------------------------------
/**
 * What production cannot start without, and why. Outside production (NODE_ENV is not
 * `production`) Ayni starts without them in local mode: every webhook is refused, the console
 * and its bot simulator work (src/plugins/start-notes.ts).
 */
const REQUIRED_IN_PRODUCTION = {
  TWILIO_AUTH_TOKEN: 'checks that webhooks come from Twilio',
} as const;

/**
 * A connected number takes real learners, whatever NODE_ENV says; under the public development
 * secret anyone could compute their ids from their numbers, and certificate links from codes.
 */
const ID_SECRET_WITH_TWILIO =
  'ID_SECRET: missing; required once TWILIO_AUTH_TOKEN is set (learner ids and certificate links ' +
  'are keyed with it, and the development one is public). Make one with `openssl rand -hex 32`, ' +
  'or unset TWILIO_AUTH_TOKEN for local mode';

/** Started without Twilio settings outside production: no webhook can be checked, so none is taken. */
export function isLocalMode(config: Config): boolean {
  return !config.TWILIO_AUTH_TOKEN;
}

/** A configuration Ayni cannot start with; its message lists every problem, for a person to read. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The configuration of a command-line tool (chat, migrate:ids, content tools): like the server's,
 * but it takes no webhooks, so production does not ask it for TWILIO_AUTH_TOKEN.
 */
export function loadToolConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(env, { takesWebhooks: false });
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { takesWebhooks = true }: { takesWebhooks?: boolean } = {},
): Config {
  const parsed = schema.safeParse({ ...env, ID_SECRET: idSecretOf(env) });
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  if (parsed.success) problems.push(...redisChoiceProblems(parsed.data));
  if (env.NODE_ENV === 'production' && takesWebhooks) {
    for (const [name, why] of Object.entries(REQUIRED_IN_PRODUCTION))
      if (!env[name]) problems.push(`  ${name}: missing; required in production, it ${why}`);
  } else if (env.TWILIO_AUTH_TOKEN && !env.ID_SECRET) problems.push(`  ${ID_SECRET_WITH_TWILIO}`);
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(
      `Configuration is not valid${env.NODE_ENV === 'production' ? ' for production' : ''}:\n` +
        `${problems.join('\n')}\nSee README.md, "Configuration", and .env.example.`,
    );
  }
  return parsed.data;
}

/** Cluster and Sentinel exclude each other, and sentinels need the primary's name. */
function redisChoiceProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.REDIS_CLUSTER_NODES && config.REDIS_SENTINELS)
    problems.push('  REDIS_SENTINELS: set either REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both');
  if (config.REDIS_SENTINELS && !config.REDIS_SENTINEL_NAME)
    problems.push('  REDIS_SENTINEL_NAME: required with REDIS_SENTINELS: the name the sentinels monitor');
  return problems;
}

/**
 * ID_SECRET as set (empty counts as unset), or the development secret outside production (which
 * loadConfig still refuses when TWILIO_AUTH_TOKEN is set: only local mode may use it).
 */
function idSecretOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ID_SECRET) return env.ID_SECRET;
  return env.NODE_ENV === 'production' ? undefined : DEVELOPMENT_ID_SECRET;
}
