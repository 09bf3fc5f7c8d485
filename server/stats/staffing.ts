import type { LinesConfig } from '../config/lines-config.js';
import { DEFAULT_HANDLE_SECONDS } from '../routing/wait-estimate.js';
import type { StaffingRow } from '../../protocol/http.js';
import type { Aggregate } from './aggregates.js';
import { agentsNeeded } from './erlang-c.js';
import { SERVICE_LEVEL_GOAL } from './supervisor-figures.js';

/** The staffing estimate looks back this many whole weeks. */
export const STAFFING_WEEKS = 4;

export type { StaffingRow };

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOUR_MS = 3_600_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The local weekday (1 = Monday) and hour of an instant. */
function weekdayHour(at: number, timezone: string): [number, number] {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
    formats.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return [WEEKDAYS.indexOf(parts.weekday!) + 1, Number(parts.hour)];
}

/**
 * How often each local hour of the week really happened between `from` and `to`: four times in
 * four weeks, but twice more for the hour the clocks go back (02:00 twice that Sunday) and
 * once less for the hour they skip. An hour's arrivals are averaged over these, not over
 * weeks, so neither DST night doubles nor drops an hour.
 */
function hoursOfWeek(from: number, to: number, timezone: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (let at = Math.ceil(from / HOUR_MS) * HOUR_MS; at < to; at += HOUR_MS) {
    const [weekday, hour] = weekdayHour(at, timezone);
    const key = `${weekday}|${hour}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}

/**
 * How many operators each queue needs in each hour of the week, beside how many it had: from
 * the quarter-hour buckets between `from` and `to` (the last STAFFING_WEEKS weeks: arrivals,
 * handle times, operator-minutes on duty), with Erlang C (erlang-c.ts) for the line's
 * service-level target. A deployment younger than that is averaged over the time since its
 * first bucket, not over weeks it did not count. An hour with no arrivals is left out. Erlang C assumes one contact per operator at a time and
 * nobody abandoning: for chats, where an operator holds several, it overstates the need; with
 * abandonment, real service levels are better than it says (docs/operations.md).
 */
export function staffingEstimate(buckets: readonly Aggregate[], lines: LinesConfig, window: { from: number; to: number }): StaffingRow[] {
  const target = new Map(lines.lines.map((l) => [l.id, l.serviceLevelTargetSeconds]));
  const cells = new Map<string, { key: Pick<StaffingRow, 'line' | 'language' | 'topic' | 'channel'>; weekday: number; hour: number; requested: number; staffedMinutes: number }>();
  const handle = new Map<string, { seconds: number; handled: number }>();
  for (const b of buckets) {
    if (b.span !== '15m') continue;
    const queue = `${b.line}|${b.language}|${b.topic}|${b.channel}`;
    const [weekday, hour] = weekdayHour(Date.parse(b.start), lines.timezone);
    const id = `${queue}|${weekday}|${hour}`;
    const cell = cells.get(id) ?? { key: { line: b.line, language: b.language, topic: b.topic, channel: b.channel }, weekday, hour, requested: 0, staffedMinutes: 0 };
    cell.requested += b.counts.requested ?? 0;
    cell.staffedMinutes += b.counts.staffedMinutes ?? 0;
    cells.set(id, cell);
    const h = handle.get(queue) ?? { seconds: 0, handled: 0 };
    h.seconds += (b.counts.handleMinutes ?? 0) * 60;
    h.handled += b.counts.handled ?? 0;
    handle.set(queue, h);
  }
  const firstCounted = buckets.reduce((first, b) => Math.min(first, Date.parse(b.start)), Infinity);
  const occurred = hoursOfWeek(Math.max(window.from, Math.floor(firstCounted / HOUR_MS) * HOUR_MS), window.to, lines.timezone);
  const rows: StaffingRow[] = [];
  for (const cell of cells.values()) {
    const hours = occurred.get(`${cell.weekday}|${cell.hour}`) ?? 0;
    if (cell.requested === 0 || hours === 0) continue;
    const h = handle.get(`${cell.key.line}|${cell.key.language}|${cell.key.topic}|${cell.key.channel}`)!;
    // At least a second: a contact ended at once has no handle time Erlang C can take.
    const handleSeconds = h.handled > 0 ? Math.max(1, h.seconds / h.handled) : DEFAULT_HANDLE_SECONDS;
    const arrivals = cell.requested / hours;
    rows.push({
      ...cell.key,
      weekday: cell.weekday,
      hour: cell.hour,
      arrivals,
      handleSeconds,
      needed: agentsNeeded({ arrivals, periodSeconds: 3600, handleSeconds, targetSeconds: target.get(cell.key.line) ?? 60, serviceLevelTarget: SERVICE_LEVEL_GOAL }),
      staffed: cell.staffedMinutes / (60 * hours),
    });
  }
  return rows.sort((a, b) => a.line.localeCompare(b.line) || a.language.localeCompare(b.language) || a.topic.localeCompare(b.topic) || a.channel.localeCompare(b.channel) || a.weekday - b.weekday || a.hour - b.hour);
}
