import { formatDuration, uiLanguage } from '../i18n.js';

/** What a figure shows when there is nothing to compute it from (a null rate or wait). */
export const NONE = '—';

/** A share as a whole percentage in the interface language ("80%", "80 %"); "—" for null. */
export function percent(rate: number | null): string {
  if (rate === null) return NONE;
  return new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}

/** A wait as m:ss; "—" for null. */
export function wait(seconds: number | null): string {
  return seconds === null ? NONE : formatDuration(seconds);
}

/** A longer span, such as a time in status: h:mm:ss from an hour on, else m:ss. */
export function span(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 3600) return formatDuration(s);
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)}:${String(minutes).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A whole number in the interface language (thousands separators). */
export function count(n: number): string {
  return new Intl.NumberFormat(uiLanguage()).format(n);
}

/**
 * A time of day on the 24-hour clock, in this browser's time zone. The hour cycle is fixed so
 * that every interface language (and the chart's axis, drawn once) reads the same.
 */
export function clockTime(ms: number, seconds = false): string {
  return new Intl.DateTimeFormat(uiLanguage(), {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(ms);
}

/** "YYYY-MM-DD" for a local calendar date. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A figure with one decimal in the interface language ("1.5", "1,5"). */
export function oneDecimal(n: number): string {
  return new Intl.NumberFormat(uiLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/** At most one decimal, none when it is whole ("2", "1.6"). */
export function upToOneDecimal(n: number): string {
  return new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: 1 }).format(n);
}
