import type { OpeningPeriod } from '../../protocol/http.js';

/**
 * Whether a line's chat is open at an instant, in the line's own time zone. Pure: the
 * caller passes the instant (from the injected clock).
 */
export interface Schedule {
  timezone: string;
  hours: OpeningPeriod[];
  /** Dates "YYYY-MM-DD" (local) on which the line is closed all day. */
  holidays: readonly string[];
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function localTime(at: number, timezone: string): { date: string; weekday: number; time: string } {
  const parts = Object.fromEntries(formatterFor(timezone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    time: `${parts.hour}:${parts.minute}`,
  };
}

export function isOpen(schedule: Schedule, at: number): boolean {
  const local = localTime(at, schedule.timezone);
  if (schedule.holidays.includes(local.date)) return false;
  return schedule.hours.some((p) => p.days.includes(local.weekday) && p.from <= local.time && local.time < p.to);
}
