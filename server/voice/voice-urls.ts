import type { LanguageCode, LineId, TicketId } from '../../protocol/ids.js';

/**
 * The webhook paths, and the absolute URLs TwiML points Twilio to. Absolute, on the public
 * base, because Twilio signs the URL it calls and we check the signature against the same.
 * What a call chose so far travels in the query (line, language, topic ids: nothing about the
 * caller), so any node can take the next step.
 */
export const VOICE_PATHS = {
  incoming: '/voice/incoming',
  language: '/voice/language',
  topic: '/voice/topic',
  wait: '/voice/wait',
  waitChoice: '/voice/wait-choice',
  queueResult: '/voice/queue-result',
  status: '/voice/status',
  connect: '/voice/connect',
  dialEnded: '/voice/dial-ended',
  simulatedState: '/voice/simulated/state',
} as const;

export class VoiceUrls {
  constructor(private readonly base: string) {}

  private url(path: string, query: Record<string, string | number>): string {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return `${this.base}${path}?${params.toString()}`;
  }

  language(line: LineId, attempt: number): string {
    return this.url(VOICE_PATHS.language, { line, try: attempt });
  }

  topic(line: LineId, language: LanguageCode, attempt: number): string {
    return this.url(VOICE_PATHS.topic, { line, language, try: attempt });
  }

  wait(ticket: TicketId): string {
    return this.url(VOICE_PATHS.wait, { ticket });
  }

  /** `options`: the languages offered in the wait, in digit order (1 = first). */
  waitChoice(ticket: TicketId, options: readonly LanguageCode[]): string {
    return this.url(VOICE_PATHS.waitChoice, { ticket, options: options.join(',') });
  }

  queueResult(ticket: TicketId): string {
    return this.url(VOICE_PATHS.queueResult, { ticket });
  }

  dialEnded(ticket: TicketId): string {
    return this.url(VOICE_PATHS.dialEnded, { ticket });
  }
}

/** The public base URL Twilio reached us on, as configured: what signatures are checked against. */
export function publicUrl(base: string, originalUrl: string): string {
  return `${base}${originalUrl}`;
}
