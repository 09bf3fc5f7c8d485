import type { Ticket } from '../routing/types.js';
import type { ErrorCode } from '../../protocol/errors.js';

/** How an offer ended, as /metrics counts it. */
export type OfferOutcome = 'made' | 'accepted' | 'declined' | 'expired' | 'refused';

/**
 * What the relay tells the metrics as it works: counts and durations with routing labels
 * only (line, language, topic, channel), never who. NO_METRICS when nothing listens.
 */
export interface RelayMetrics {
  offer(outcome: OfferOutcome): void;
  /** A contact was answered after waiting `seconds`. */
  answered(ticket: Pick<Ticket, 'line' | 'language' | 'topic' | 'channel'>, seconds: number): void;
  /** A contact an operator answered ended after `seconds` with them. */
  handled(ticket: Pick<Ticket, 'line' | 'channel'>, seconds: number): void;
  /** A typed error went to a client (socket or HTTP). */
  error(code: ErrorCode): void;
}

export const NO_METRICS: RelayMetrics = {
  offer: () => undefined,
  answered: () => undefined,
  handled: () => undefined,
  error: () => undefined,
};
