import type { LinesConfig } from '../config/lines-config.js';
import { WAIT_BANDS, type Aggregate } from './aggregates.js';

const COUNT_COLUMNS = [
  ['requested', 'requested'],
  ['answered', 'answered'],
  ['answered_in_target', 'inTarget'],
  ['abandoned', 'abandoned'],
  ['short_abandoned', 'shortAbandoned'],
  ['overflowed', 'overflowed'],
  ['moved', 'moved'],
  ['offers_declined', 'declined'],
  ['offers_expired', 'expired'],
  ['handled', 'handled'],
  ['handle_minutes', 'handleMinutes'],
  ['operator_minutes_on_duty', 'staffedMinutes'],
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The quarter-hour buckets as CSV for funders: one row per quarter hour × line × language ×
 * topic × channel that counted anything, never a row per contact. Local date and time are
 * the deployment's time zone, beside the UTC start; wait bands and wrap-up categories each
 * have a column, in the lines file's order.
 */
export function aggregatesCsv(buckets: readonly Aggregate[], lines: LinesConfig): string {
  const waitColumns = [...WAIT_BANDS.map((b) => [`answered_within_${b}s`, `wait:${b}`] as const), ['answered_after_3600s', 'wait:inf'] as const];
  const wrapColumns = lines.wrapUps.map((w) => [`wrap_up_${w}`, `wrapUp:${w}`] as const);
  const columns = [...COUNT_COLUMNS, ...waitColumns, ...wrapColumns];
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: lines.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const rows = [['start_utc', 'local_date', 'local_time', 'line', 'language', 'topic', 'channel', ...columns.map(([name]) => name)].join(',')];
  const sorted = buckets.filter((b) => b.span === '15m').sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) || `${a.line}|${a.language}|${a.topic}|${a.channel}`.localeCompare(`${b.line}|${b.language}|${b.topic}|${b.channel}`));
  for (const b of sorted) {
    const parts = Object.fromEntries(local.formatToParts(new Date(b.start)).map((p) => [p.type, p.value]));
    rows.push(
      [
        b.start,
        `${parts.year}-${parts.month}-${parts.day}`,
        `${parts.hour}:${parts.minute}`,
        b.line,
        b.language,
        b.topic,
        b.channel,
        ...columns.map(([, countField]) => b.counts[countField] ?? 0),
      ]
        .map(field)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
