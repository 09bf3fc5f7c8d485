import type { StaffingRow } from '../../protocol/http.js';

/** How many rows the staffing table shows before "Show all". */
export const STAFFING_FIRST_ROWS = 20;

/**
 * Operators missing in an hour: needed minus on duty as the table shows it (to the tenth),
 * so the marker agrees with the figures beside it and never says "Short by 0"; 0 when there
 * were enough. Infinity when Erlang C found no number within reach: that matters most.
 */
export function shortfall(row: StaffingRow): number {
  if (row.needed === null) return Infinity;
  return Math.max(0, row.needed * 10 - Math.round(row.staffed * 10)) / 10;
}

/** The largest shortfall first, then through the week; the server's queue order breaks ties. */
export function byShortfall(rows: readonly StaffingRow[]): StaffingRow[] {
  return rows
    .map((row, i) => ({ row, i, short: shortfall(row) }))
    .sort((a, b) => (b.short === a.short ? 0 : b.short > a.short ? 1 : -1) || a.row.weekday - b.row.weekday || a.row.hour - b.row.hour || a.i - b.i)
    .map((r) => r.row);
}

/** One row per queue and hour of the week. */
export function staffingKey(r: StaffingRow): string {
  return `${r.line}|${r.language}|${r.topic}|${r.channel}|${r.weekday}|${r.hour}`;
}
