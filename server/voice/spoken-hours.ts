import type { LineConfig } from '../config/lines-config.js';
import type { Voice } from './speech.js';

/** 2024-01-01 was a Monday: ISO weekday n is that date plus n − 1 days. */
const MONDAY = Date.UTC(2024, 0, 1);

function weekday(code: string, isoDay: number): string {
  return new Intl.DateTimeFormat(code, { weekday: 'long', timeZone: 'UTC' }).format(new Date(MONDAY + (isoDay - 1) * 86_400_000));
}

/** Runs of consecutive days: [1,2,3,5] → [[1,3],[5,5]]. */
function runs(days: readonly number[]): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const day of sorted) {
    const last = out[out.length - 1];
    if (last && day === last[1] + 1) last[1] = day;
    else out.push([day, day]);
  }
  return out;
}

/**
 * A line's opening hours as a caller would say them: "Monday to Friday, from 09:00 to
 * 22:00". Times stay as written in the lines file (local to the line), which every voice
 * reads as a time of day. Null for a line open day and night, every day: nothing to say.
 */
export function spokenHours(line: Pick<LineConfig, 'hours'>, voice: Voice): string | null {
  const { prompts, code } = voice;
  const always = line.hours.some((p) => new Set(p.days).size >= 7 && p.from === '00:00' && p.to === '24:00');
  if (always || line.hours.length === 0) return null;
  const parts = line.hours.map((period) => {
    const dayRuns = runs(period.days);
    const days =
      period.days.length >= 7
        ? prompts.everyDay
        : dayRuns
            .map(([a, b]) => prompts.days(weekday(code, a), a === b ? null : weekday(code, b)))
            .join(` ${prompts.and} `);
    return prompts.span(days, period.from, period.to === '24:00' ? '00:00' : period.to);
  });
  return parts.join(`; ${prompts.and} `);
}
