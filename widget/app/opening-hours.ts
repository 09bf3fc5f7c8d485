import type { OpeningPeriod } from '../../protocol/http.js';

export interface HoursRow {
  days: string;
  times: string;
}

// 1 January 2024 was a Monday: ISO weekday n is 2024-01-n.
const weekdayName = (isoDay: number, lang: string): string =>
  new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, isoDay));

/** Opening periods as readable rows: consecutive days become a range ("Monday – Friday"). */
export function formatHours(periods: OpeningPeriod[], lang: string): HoursRow[] {
  return periods.map((p) => ({ days: formatDays(p.days, lang), times: `${p.from} – ${p.to}` }));
}

function formatDays(days: number[], lang: string): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const day of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) => {
      const first = run[0] as number;
      const last = run[run.length - 1] as number;
      if (run.length === 1) return weekdayName(first, lang);
      if (run.length === 2) return `${weekdayName(first, lang)}, ${weekdayName(last, lang)}`;
      return `${weekdayName(first, lang)} – ${weekdayName(last, lang)}`;
    })
    .join(', ');
}
