import type { LinesConfig } from '../config/lines-config.js';
import { DEFAULT_HANDLE_SECONDS } from '../routing/wait-estimate.js';
import type { StaffingRow } from '../../protocol/http.js';
import type { Aggregate } from './aggregates.js';
import { agentsNeeded } from './erlang-c.js';
import { SERVICE_LEVEL_GOAL } from './supervisor-figures.js';

/** The staffing estimate looks back this many whole weeks. */
export const STAFFING_WEEKS = 4;

export type { StaffingRow };

const weekdayHour = (at: number, timezone: string): [number, number] => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at)).map((p) => [p.type, p.value]),
  );
  return [['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1, Number(parts.hour)];
};

/**
 * How many operators each queue needs in each hour of the week, beside how many it had: from
 * the last STAFFING_WEEKS weeks' quarter-hour buckets (arrivals, handle times, operator-minutes
 * on duty), with Erlang C (erlang-c.ts) for the line's service-level target. An hour with no
 * arrivals in those weeks is left out. Erlang C assumes one contact per operator at a time and
 * nobody abandoning: for chats, where an operator holds several, it overstates the need; with
 * abandonment, real service levels are better than it says (docs/operations.md).
 */
export function staffingEstimate(buckets: readonly Aggregate[], lines: LinesConfig, weeks = STAFFING_WEEKS): StaffingRow[] {
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
  const rows: StaffingRow[] = [];
  for (const cell of cells.values()) {
    if (cell.requested === 0) continue;
    const h = handle.get(`${cell.key.line}|${cell.key.language}|${cell.key.topic}|${cell.key.channel}`)!;
    // At least a second: a contact ended at once has no handle time Erlang C can take.
    const handleSeconds = h.handled > 0 ? Math.max(1, h.seconds / h.handled) : DEFAULT_HANDLE_SECONDS;
    const arrivals = cell.requested / weeks;
    rows.push({
      ...cell.key,
      weekday: cell.weekday,
      hour: cell.hour,
      arrivals,
      handleSeconds,
      needed: agentsNeeded({ arrivals, periodSeconds: 3600, handleSeconds, targetSeconds: target.get(cell.key.line) ?? 60, serviceLevelTarget: SERVICE_LEVEL_GOAL }),
      staffed: cell.staffedMinutes / (60 * weeks),
    });
  }
  return rows.sort((a, b) => a.line.localeCompare(b.line) || a.language.localeCompare(b.language) || a.topic.localeCompare(b.topic) || a.channel.localeCompare(b.channel) || a.weekday - b.weekday || a.hour - b.hour);
}
