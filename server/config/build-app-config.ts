import type { RelayLimits } from '../abuse/limits.js';
import type { AppConfig } from './app-config.js';
import type { VoiceConfig } from '../voice/voice-config.js';
import type { LinesConfig } from './lines-config.js';
import { parseOrigins, type Settings } from './settings.js';

/** Settings (environment units) → AppConfig (milliseconds). */
export function buildAppConfig(
  settings: Settings,
  lines: LinesConfig,
  publicDir: string,
  orgPublicKey: string | null,
  voice: VoiceConfig | null = null,
): AppConfig {
  return {
    lines,
    allowedOrigins: parseOrigins(settings.ALLOWED_ORIGINS),
    offerTimeoutMs: settings.OFFER_TIMEOUT_SECONDS * 1000,
    offersMissedBeforeAway: settings.OFFERS_MISSED_BEFORE_AWAY,
    reconnectGraceMs: settings.RECONNECT_GRACE_SECONDS * 1000,
    chatMaxMs: settings.CHAT_MAX_HOURS * 3600_000,
    sessionIdleMs: settings.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: settings.SESSION_MAX_HOURS * 3600_000,
    ignoreHours: settings.QUIETLINE_IGNORE_HOURS,
    cookieSecure: settings.COOKIE_SECURE,
    trustProxyHops: settings.TRUST_PROXY_HOPS,
    publicDir,
    orgPublicKey,
    callCapacityRule: settings.CALL_CAPACITY_RULE,
    statsRetentionMs: settings.STATS_RETENTION_DAYS * 24 * 3600_000,
    shortAbandonMs: settings.SHORT_ABANDON_SECONDS * 1000,
    voice,
    metrics:
      settings.METRICS_TOKEN === undefined && settings.METRICS_PORT === undefined
        ? null
        : { token: settings.METRICS_TOKEN ?? null, port: settings.METRICS_PORT ?? null, host: settings.METRICS_HOST },
  };
}

/** The abuse limits the settings choose; what they leave out keeps its default. */
export function relayLimits(settings: Settings): Partial<RelayLimits> {
  return {
    openChatsPerAddress: settings.OPEN_CHATS_PER_ADDRESS,
    newChatsPer10Min: settings.NEW_CHATS_PER_ADDRESS_PER_TEN_MINUTES,
    upgradesPerMinute: settings.UPGRADES_PER_ADDRESS_PER_MINUTE,
    messagesPerWindow: settings.MESSAGES_PER_SOCKET_PER_TEN_SECONDS,
  };
}
