import type { LanguageCode, LineId, TopicId } from '../../protocol/ids.js';
import type { Channel } from '../../protocol/operator-messages.js';

/**
 * Anonymous counts per hour × line × language × topic × channel (privacy invariant 5): what a helpline
 * reports — contacts, answered, abandoned, wrap-up categories — and never a row per contact.
 * Only counts are kept; nothing links a count back to a chat.
 */
export interface AggregateKey {
  /** Start of the UTC hour, ISO 8601 ("2026-11-23T10:00:00.000Z"). */
  hour: string;
  line: LineId;
  language: LanguageCode;
  topic: TopicId;
  /** Chat or phone call. */
  channel: Channel;
}

/**
 * How a contact that was never answered left its queue: `abandoned` (they gave up, or the
 * system ended it), `overflowed` (a call put through to the line's overflow number after a
 * long wait), `moved` (a caller who chose another of the line's languages while waiting:
 * they are counted again, as requested, in that language's queue).
 */
export type Unanswered = 'abandoned' | 'overflowed' | 'moved';
export type AggregateField = 'requested' | 'answered' | Unanswered | `wrapUp:${string}`;

export interface Aggregate extends AggregateKey {
  counts: Record<string, number>;
}

/** Aggregates are kept long enough for yearly reporting, then expire like everything else. */
export const AGGREGATE_TTL_MS = 400 * 24 * 60 * 60 * 1000;

export function aggregateKey(at: number, t: { line: LineId; language: LanguageCode; topic: TopicId; channel: Channel }): AggregateKey {
  const hour = new Date(Math.floor(at / 3_600_000) * 3_600_000).toISOString();
  return { hour, line: t.line, language: t.language, topic: t.topic, channel: t.channel };
}

/** One string per bucket, for stores that need a flat key. */
export function bucketId(key: AggregateKey): string {
  return [key.hour, key.line, key.language, key.topic, key.channel].join('|');
}
