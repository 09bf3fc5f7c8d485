import type { CallCapacityRule } from '../routing/call-capacity.js';
import type { VoiceConfig } from '../voice/voice-config.js';
import type { LinesConfig } from './lines-config.js';

/** What createApp needs to know, in units it uses (milliseconds), already validated. */
export interface AppConfig {
  lines: LinesConfig;
  allowedOrigins: string[];
  offerTimeoutMs: number;
  /** Offers in a row left to run out before the server sets the operator away; 0: never. */
  offersMissedBeforeAway: number;
  reconnectGraceMs: number;
  chatMaxMs: number;
  sessionIdleMs: number;
  sessionMaxMs: number;
  ignoreHours: boolean;
  cookieSecure: boolean;
  trustProxyHops: number;
  /** Folder with the built widget, console and demo (scripts/build-browser.ts). */
  publicDir: string;
  /**
   * The organisation's Ed25519 public key that certifies operator identities; null only in
   * the demo, where operators have no certified identity and the widget checks nothing.
   */
  orgPublicKey: string | null;
  /** How a phone call counts against an operator's places (CALL_CAPACITY_RULE). */
  callCapacityRule: CallCapacityRule;
  /** Phone calls through Twilio; null: the /voice/* routes are off. */
  voice: VoiceConfig | null;
  /** How long the anonymous aggregates are kept (STATS_RETENTION_DAYS). */
  statsRetentionMs: number;
  /** Leaving the queue within this long counts as a short abandon (SHORT_ABANDON_SECONDS). */
  shortAbandonMs: number;
  /** /metrics: behind a bearer token on the main port, or on a port of its own; null: off. */
  metrics: { token: string | null; port: number | null; host: string } | null;
}

export const DEFAULT_TIMINGS = {
  statsRetentionMs: 400 * 24 * 3600_000,
  shortAbandonMs: 5_000,
  offerTimeoutMs: 30_000,
  offersMissedBeforeAway: 3,
  reconnectGraceMs: 120_000,
  chatMaxMs: 12 * 3600_000,
  sessionIdleMs: 30 * 60_000,
  sessionMaxMs: 12 * 3600_000,
} as const;
