import { ACCOUNTS_PATH } from './accounts.js';
import type { LanguageCode, LineId, TopicId } from './ids.js';

/**
 * HTTP paths and the shapes they return. The widget and console read these; the server
 * builds them. Everything here is public: no operator, ticket or visitor data.
 */
export const PATHS = {
  visitorSocket: '/ws/visitor',
  operatorSocket: '/ws/operator',
  /** GET: every line's public description (PublicLine[]) with `open` computed now. */
  lines: '/api/lines',
  /** POST {id, password} signs in (sets the HttpOnly session cookie); GET returns the
   *  profile; DELETE signs out. */
  session: '/api/session',
  /** POST text/plain `{"token", "quick"}`: end (and with quick, purge) a chat without a socket. */
  leave: '/api/chat/leave',
  /** GET (signed-in operator): how this console places calls (VoiceTokenResponse); 404 when
   *  the deployment has no voice. */
  voiceToken: '/api/voice/token',
  /** POST {ticket} (signed-in operator, simulated voice only): stand in for the voice device
   *  connecting out to the call this operator holds; 403 ERR_NOT_IN_CHAT for a call not
   *  theirs, 409 ERR_CHAT_ENDED when its caller has hung up. */
  voiceSimulatedConnect: '/api/voice/simulated-connect',
  /** GET ?from=YYYY-MM-DD&to=YYYY-MM-DD (supervisor or admin): the statistics of those local days as CSV. */
  statsExport: '/api/stats/export',
  /** GET (supervisor or admin): StaffingResponse, the staffing estimate by queue and hour of the week. */
  statsStaffing: '/api/stats/staffing',
  /** Admin only: the operator accounts (protocol/accounts.ts lists the requests). */
  accounts: ACCOUNTS_PATH,
  /** GET: Prometheus text (docs/operations.md); off unless METRICS_TOKEN or METRICS_PORT is set. */
  metrics: '/metrics',
  health: '/healthz',
  ready: '/readyz',
} as const;

/** Query parameter on both sockets naming the protocol version the client speaks. */
export const VERSION_PARAM = 'v';

export interface OpeningPeriod {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Local time in the line's time zone, "HH:MM"; `to` may be "24:00". */
  from: string;
  to: string;
}

export type Alternative =
  | { kind: 'line'; line: LineId }
  | { kind: 'phone'; name: string; number: string }
  | { kind: 'web'; name: string; url: string };

export interface PublicLine {
  id: LineId;
  name: string;
  /** Victim support and perpetrator prevention never share a queue or a record. */
  family: 'victim-support' | 'perpetrator-prevention';
  languages: LanguageCode[];
  topics: TopicId[];
  /** The line's own phone number, when it has one. */
  phone: string | null;
  timezone: string;
  hours: OpeningPeriod[];
  /** Whether the chat is open at the time of the request. */
  open: boolean;
  /**
   * The line's languages (in `languages` order) in which an operator who could take a chat of
   * one of its topics is signed in and available now, busy or not. Empty when nobody is on
   * duty, and when the service cannot tell (its shared store is unreachable).
   */
  languagesNow: LanguageCode[];
  alternatives: Alternative[];
  /** Show `alternatives` to a waiting visitor once their wait estimate is above this many seconds. */
  alternativesAfterSeconds: number;
}

export interface LinesResponse {
  lines: PublicLine[];
  /** The emergency number the widget always shows. */
  emergency: string;
  /** Where quick exit sends the top page. */
  exitUrl: string;
  /** How long the server keeps a chat for a visitor who lost the connection. */
  reconnectGraceSeconds: number;
}

export interface SignInRequest {
  id: string;
  password: string;
}

/**
 * What GET /api/voice/token answers. 'twilio': an access token for @twilio/voice-sdk's Device
 * (VoiceGrant with the TwiML App only, identity = the operator's id), valid `expiresIn`
 * seconds; ask again before then. 'simulated': the demo's voice without Twilio (`npm run
 * call`); the console has no device and says "connected (simulated)".
 */
export type VoiceTokenResponse =
  | { mode: 'twilio'; token: string; identity: string; expiresIn: number }
  | { mode: 'simulated' };

/** One queue × hour of the week of GET /api/stats/staffing (server/stats/staffing.ts). */
export interface StaffingRow {
  line: LineId;
  language: LanguageCode;
  topic: TopicId;
  channel: 'chat' | 'call';
  /** ISO weekday (1 = Monday) and local hour (0–23). */
  weekday: number;
  hour: number;
  /** Average arrivals in that hour over the weeks looked at. */
  arrivals: number;
  /** Average handle time (seconds). */
  handleSeconds: number;
  /** Operators needed for 80 % within the line's target (Erlang C); null if out of reach. */
  needed: number | null;
  /** Operators on duty then, on average. */
  staffed: number;
}

export interface StaffingResponse {
  weeks: number;
  /** The whole local days looked at: from `from` (included) to `to` (excluded), ISO. */
  from: string;
  to: string;
  rows: StaffingRow[];
}
