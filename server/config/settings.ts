import { z } from 'zod';
import { DEFAULT_LIMITS } from '../abuse/limits.js';
import { CALL_CAPACITY_RULES, DEFAULT_CALL_CAPACITY_RULE } from '../routing/call-capacity.js';
import { DEFAULT_RETENTION_DAYS } from '../stats/aggregates.js';
import { ConfigError } from './lines-config.js';

/**
 * Every environment setting, validated once at start-up; one line of docs each. README's
 * configuration table lists the same names.
 */
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const positiveInt = z.coerce.number().int().positive();
/** A count limit: a whole number from 1, digits only (an empty or "1e3" value is a typo). */
const limit = z.string().regex(/^\d+$/, 'a whole number from 1').transform(Number).pipe(z.number().int().min(1, 'a whole number from 1'));

const settingsSchema = z.object({
  /** TCP port to listen on. */
  PORT: z
    .string()
    .regex(/^\d+$/, 'a port number, 0–65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'a port number, 0–65535'))
    .default(8080),
  /** Address to listen on; set 0.0.0.0 in a container. */
  HOST: z.string().default('127.0.0.1'),
  /** Comma-separated origins of helpline pages allowed to embed the widget (and so to open
   *  visitor sockets), e.g. https://www.1712.be. Quietline's own origin is always allowed. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** The lines file. */
  QUIETLINE_LINES: z.string().default('config/lines.json'),
  /** The operators file written by `npm run operators`. If named here it must exist. */
  QUIETLINE_OPERATORS: z.string().default('config/operators.json'),
  /** The built browser files (`npm run build`, QUIETLINE_BUILD_OUT); default dist/public. */
  QUIETLINE_PUBLIC_DIR: z.string().optional(),
  /** The organisation's public key certifying operator identities (`npm run org-key`).
   *  Required outside the demo; the widget build bakes in the same file. */
  QUIETLINE_ORG_PUBLIC_KEY: z.string().default('config/org-public-key.txt'),
  /** 1: run the demo (in-memory demo accounts, hours ignored, plain-http cookie); 0: never.
   *  Unset: the demo runs only when QUIETLINE_OPERATORS is unset and the default file absent. */
  QUIETLINE_DEMO: flag.optional(),
  /** Seconds an offer waits for an operator's answer before it goes to the next operator. */
  OFFER_TIMEOUT_SECONDS: positiveInt.default(30),
  /** Offers in a row an operator lets run out before the server sets them away (and says why); 0: never. */
  OFFERS_MISSED_BEFORE_AWAY: z.coerce.number().int().min(0).max(20).default(3),
  /** Seconds a dropped visitor or operator has to reconnect before the chat is ended and purged. */
  RECONNECT_GRACE_SECONDS: positiveInt.default(120),
  /** Longest a chat's records may live, as a backstop TTL even if nothing ends it. */
  CHAT_MAX_HOURS: positiveInt.default(12),
  /** Operator sessions end after this many idle minutes ... */
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  /** ... and after this many hours in any case. */
  SESSION_MAX_HOURS: positiveInt.default(12),
  /** Ignore opening hours (the demo sets this so the chat can be tried at any hour). */
  QUIETLINE_IGNORE_HOURS: flag.default(false),
  /** Mark the session cookie Secure; on by default, off only for plain-http local demos. */
  COOKIE_SECURE: flag.default(true),
  /** Number of proxies in front whose X-Forwarded-For may be trusted for rate limiting. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** A Redis (redis://host:port) holding the shared state of many nodes; unset: the memory
   *  store, one node only. */
  REDIS_URL: z.string().url().optional(),
  /** Comma-separated redis:// seed nodes of a Redis Cluster; selects cluster mode. */
  REDIS_CLUSTER_NODES: z.string().optional(),
  /** Prefix of every Redis key and channel, so deployments can share a Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _, at most 32').default('ql'),
  /** This node's name in shared records and logs (default: the host name); a random suffix
   *  is added at each start. */
  QUIETLINE_NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, . - and _, at most 64').optional(),
  /** On SIGTERM, the longest a node waits for its clients to move before it exits anyway. */
  DRAIN_SECONDS: positiveInt.default(20),
  /** Visitor chats one address (an IPv4 address or an IPv6 /64) may hold open at once, per node. */
  OPEN_CHATS_PER_ADDRESS: limit.default(DEFAULT_LIMITS.openChatsPerAddress),
  /** Visitor chats one address may start per 10 minutes, per node. */
  NEW_CHATS_PER_ADDRESS_PER_TEN_MINUTES: limit.default(DEFAULT_LIMITS.newChatsPer10Min),
  /** WebSocket upgrades (visitors' and consoles') one address may make per minute, per node. */
  UPGRADES_PER_ADDRESS_PER_MINUTE: limit.default(DEFAULT_LIMITS.upgradesPerMinute),
  /** Frames one socket may send per 10 seconds (typing signals have as many of their own). */
  MESSAGES_PER_SOCKET_PER_TEN_SECONDS: limit.default(DEFAULT_LIMITS.messagesPerWindow),
  /** How a phone call counts against an operator's places: blocks-new (a call takes one place
   *  and nothing new is offered during it), one-place (like a chat) or exclusive (only an
   *  operator with nothing else takes a call). */
  CALL_CAPACITY_RULE: z.enum(CALL_CAPACITY_RULES).default(DEFAULT_CALL_CAPACITY_RULE),
  /** Twilio account (AC…) whose numbers reach the lines. Voice is on when the five TWILIO_*
   *  settings and PUBLIC_BASE_URL are all set (docs/voice.md); the demo simulates it. */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, 'an account SID, AC and 32 hex digits').optional(),
  /** Checks the X-Twilio-Signature of every /voice/* request. */
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** API key (SK…) and its secret: sign consoles' voice tokens, delete queues and call logs. */
  TWILIO_API_KEY_SID: z.string().regex(/^SK[0-9a-f]{32}$/, 'an API key SID, SK and 32 hex digits').optional(),
  TWILIO_API_KEY_SECRET: z.string().min(1).optional(),
  /** The TwiML App (AP…) whose Voice URL is PUBLIC_BASE_URL/voice/connect. */
  TWILIO_TWIML_APP_SID: z.string().regex(/^AP[0-9a-f]{32}$/, 'a TwiML App SID, AP and 32 hex digits').optional(),
  /** The address Twilio calls, e.g. https://chat.example.org (behind a proxy, the outside one):
   *  signatures are checked against it and TwiML links to it. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Audio played to waiting callers between announcements (an https URL Twilio can fetch;
   *  a clip of about VOICE_ANNOUNCE_EVERY_SECONDS). Unset: silence. */
  VOICE_HOLD_MUSIC_URL: z.url().optional(),
  /** Seconds between announcements of place and wait to a waiting caller. */
  VOICE_ANNOUNCE_EVERY_SECONDS: positiveInt.max(600).default(30),
  /** After this many seconds of waiting a caller is put through to the line's overflow
   *  number, or told the alternatives when it has none. */
  VOICE_OVERFLOW_AFTER_SECONDS: positiveInt.default(600),
  /** Lifetime of a console's voice token; at most an hour. */
  VOICE_TOKEN_TTL_SECONDS: positiveInt.max(3600).default(3600),
  /** Days the anonymous aggregates (per quarter hour and day) are kept for reports. */
  STATS_RETENTION_DAYS: positiveInt.max(3660).default(DEFAULT_RETENTION_DAYS),
  /** A visitor or caller who leaves the queue within this many seconds is a short abandon:
   *  counted apart, and not against the service level. */
  SHORT_ABANDON_SECONDS: z.coerce.number().int().min(0).max(120).default(5),
  /** Serves /metrics (Prometheus text) on the main port to requests with
   *  `Authorization: Bearer <token>`; at least 16 characters. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Serves /metrics on a port of its own (on METRICS_HOST) instead of the main one; the token,
   *  if set, is asked for there too. Neither set: no /metrics. */
  METRICS_PORT: z
    .string()
    .regex(/^\d+$/, 'a port number, 1–65535')
    .transform(Number)
    .pipe(z.number().min(1).max(65535, 'a port number, 1–65535'))
    .optional(),
  /** Address the metrics port listens on. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Every variable the server reads (README's configuration table lists the same). */
export const SETTING_NAMES = Object.keys(settingsSchema.shape);

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`environment: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      let url: URL | null = null;
      try {
        url = new URL(s);
      } catch {
        // reported below
      }
      // Only http(s) has a real origin: anything else is the opaque "null", which sandboxed
      // frames and file: pages also send — allowing it would allow them all.
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin === 'null') {
        throw new ConfigError(`environment: ALLOWED_ORIGINS: "${s}" is not an origin such as https://example.org`);
      }
      return url.origin;
    });
}
