import type { AppConfig } from './app-config.js';
import type { LinesConfig } from './lines-config.js';
import { parseOrigins, type Settings } from './settings.js';

/** Settings (environment units) → AppConfig (milliseconds). */
export function buildAppConfig(settings: Settings, lines: LinesConfig, publicDir: string, orgPublicKey: string | null): AppConfig {
  return {
    lines,
    allowedOrigins: parseOrigins(settings.ALLOWED_ORIGINS),
    offerTimeoutMs: settings.OFFER_TIMEOUT_SECONDS * 1000,
    reconnectGraceMs: settings.RECONNECT_GRACE_SECONDS * 1000,
    chatMaxMs: settings.CHAT_MAX_HOURS * 3600_000,
    sessionIdleMs: settings.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: settings.SESSION_MAX_HOURS * 3600_000,
    ignoreHours: settings.QUIETLINE_IGNORE_HOURS,
    cookieSecure: settings.COOKIE_SECURE,
    trustProxyHops: settings.TRUST_PROXY_HOPS,
    publicDir,
    orgPublicKey,
  };
}
