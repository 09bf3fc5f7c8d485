import type { LanguageCode, LineId, TopicId } from '../../protocol/ids.js';

/**
 * Anonymous counts per hour × line × language × topic (privacy invariant 5): what a helpline
 * reports — contacts, answered, abandoned, wrap-up categories — and never a row per contact.
 * Only counts are kept; nothing links a count back to a chat.
 */
export interface AggregateKey {
  /** Start of the UTC hour, ISO 8601 ("2026-11-23T10:00:00.000Z"). */
  hour: string;
  line: LineId;
  language: LanguageCode;
  topic: TopicId;
}

export type AggregateField = 'requested' | 'answered' | 'abandoned' | `wrapUp:${string}`;

export interface Aggregate extends AggregateKey {
  counts: Record<string, number>;
}

/** Aggregates are kept long enough for yearly reporting, then expire like everything else. */
export const AGGREGATE_TTL_MS = 400 * 24 * 60 * 60 * 1000;

export function aggregateKey(at: number, t: { line: LineId; language: LanguageCode; topic: TopicId }): AggregateKey {
  const hour = new Date(Math.floor(at / 3_600_000) * 3_600_000).toISOString();
  return { hour, line: t.line, language: t.language, topic: t.topic };
}

/** One string per bucket, for stores that need a flat key. */
export function bucketId(key: AggregateKey): string {
  return [key.hour, key.line, key.language, key.topic].join('|');
}
