import type { Channel, LanguageCode, LineId, TopicId } from '../../protocol/ids.js';

/**
 * Anonymous counts per bucket × line × language × topic × channel (privacy invariant 5): what
 * a helpline reports — contacts, answered, abandoned, wrap-up categories, waits by band — and
 * never a row per contact. Only counts are kept; nothing links a count back to a contact, and
 * no time is finer than the bucket's start.
 *
 * Each event is counted twice: in its quarter hour (`span: '15m'`, what the export and the
 * day's curve read) and in its day (`span: 'day'`, from local midnight in the deployment's
 * time zone, what the live view's "today" reads in one bucket per queue).
 */
export type Span = '15m' | 'day';

export interface AggregateKey {
  /** The bucket's start, ISO 8601 in UTC ("2026-11-23T10:15:00.000Z"). */
  start: string;
  span: Span;
  line: LineId;
  language: LanguageCode;
  topic: TopicId;
  channel: Channel;
}

/** A queue, as the aggregates are split. */
export type QueueKey = Pick<AggregateKey, 'line' | 'language' | 'topic' | 'channel'>;

/**
 * How a contact that was never answered left its queue: `abandoned` (they gave up, or the
 * system ended it, after the short-abandon time), `shortAbandoned` (within it: a misdial or
 * a second thought, not held against the service level), `overflowed` (a call put through
 * to the line's overflow number), `moved` (a caller who chose another of the line's
 * languages while waiting: counted again, as requested, in that language's queue).
 */
export type Unanswered = 'abandoned' | 'shortAbandoned' | 'overflowed' | 'moved';

/**
 * Upper bounds (seconds) of the wait bands answered contacts are counted in (`wait:<bound>`,
 * the last `wait:inf`): the median and 90th percentile are read from them.
 */
export const WAIT_BANDS = [10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1800, 3600] as const;

export type AggregateField =
  | 'requested'
  | 'answered'
  /** Answered within the line's service-level target. */
  | 'inTarget'
  | Unanswered
  | 'declined'
  | 'expired'
  /** Answered contacts that ended, and the minutes operators spent with them (a sum of whole minutes). */
  | 'handled'
  | 'handleMinutes'
  /** Operator-minutes on duty for the queue (a sum), sampled once a minute: staffing. */
  | 'staffedMinutes'
  | `wait:${number | 'inf'}`
  | `wrapUp:${string}`;

export interface Aggregate extends AggregateKey {
  counts: Record<string, number>;
}

/** Kept long enough for yearly reporting by default (STATS_RETENTION_DAYS), then expired. */
export const DEFAULT_RETENTION_DAYS = 400;

export const QUARTER_MS = 15 * 60_000;

export function quarterStart(at: number): number {
  return Math.floor(at / QUARTER_MS) * QUARTER_MS;
}

/** Formatters are costly to build (about 100 µs each): one per time zone, kept. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Local midnights found, by time zone and date: counting calls dayStart for every event. */
const midnights = new Map<string, number>();
const MIDNIGHTS_KEPT = 1000;

/** Local midnight of the day `at` falls in, in `timezone`, as an instant (DST-aware). */
export function dayStart(at: number, timezone: string): number {
  const local = localDate(at, timezone);
  const key = `${timezone}|${local}`;
  const known = midnights.get(key);
  if (known !== undefined) return known;
  // Midnight lies within a day of `at`; step back by quarter hours (every time zone in use
  // is a whole number of quarter hours from UTC) until the local date changes.
  let t = quarterStart(at);
  while (localDate(t - QUARTER_MS, timezone) === local) t -= QUARTER_MS;
  if (midnights.size >= MIDNIGHTS_KEPT) midnights.clear();
  midnights.set(key, t);
  return t;
}

/** "YYYY-MM-DD" of `at` in `timezone`. */
export function localDate(at: number, timezone: string): string {
  let format = dateFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timezone, format);
  }
  return format.format(new Date(at));
}

/** The quarter hours of the local day that starts at `start` (92, 96 or 100 of them). */
export function quartersOfDay(start: number, timezone: string): number[] {
  const date = localDate(start, timezone);
  const out: number[] = [];
  for (let t = start; localDate(t, timezone) === date; t += QUARTER_MS) out.push(t);
  return out;
}

/** Both buckets an event at `at` is counted in. */
export function aggregateKeys(at: number, queue: QueueKey, timezone: string): [AggregateKey, AggregateKey] {
  const { line, language, topic, channel } = queue;
  return [
    { start: new Date(quarterStart(at)).toISOString(), span: '15m', line, language, topic, channel },
    { start: new Date(dayStart(at, timezone)).toISOString(), span: 'day', line, language, topic, channel },
  ];
}

/** The wait band a wait of `seconds` is counted in. */
export function waitBand(seconds: number): AggregateField {
  const bound = WAIT_BANDS.find((b) => seconds <= b);
  return bound === undefined ? 'wait:inf' : `wait:${bound}`;
}

/** One string per bucket, for stores that need a flat key; starts with the start, so ids sort by time. */
export function bucketId(key: AggregateKey): string {
  return [key.start, key.span, key.line, key.language, key.topic, key.channel].join('|');
}
