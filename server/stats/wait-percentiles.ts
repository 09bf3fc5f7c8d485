import { WAIT_BANDS } from './aggregates.js';

/**
 * The wait below which a share `q` of answered contacts were answered, read from the wait
 * bands: the upper bound of the band where that share is reached (never an understatement,
 * except beyond the last band, where it is that last bound). Null with no answered contact.
 */
export function waitPercentile(counts: Readonly<Record<string, number>>, q: number): number | null {
  const bands: [number, number][] = [...WAIT_BANDS.map((b): [number, number] => [b, counts[`wait:${b}`] ?? 0]), [Infinity, counts['wait:inf'] ?? 0]];
  const total = bands.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [bound, n] of bands) {
    seen += n;
    if (seen >= q * total) return Number.isFinite(bound) ? bound : WAIT_BANDS[WAIT_BANDS.length - 1]!;
  }
  return WAIT_BANDS[WAIT_BANDS.length - 1]!;
}

/**
 * The service level: answered within target ÷ (answered + abandoned + overflowed). Short
 * abandons are in neither: they are not held against it. A call sent on to the overflow
 * number was not answered here. Null when there is none of these.
 */
export function serviceLevel(counts: Readonly<Record<string, number>>): number | null {
  const answered = counts.answered ?? 0;
  const denominator = answered + (counts.abandoned ?? 0) + (counts.overflowed ?? 0);
  return denominator === 0 ? null : (counts.inTarget ?? 0) / denominator;
}

/** Add `from` into `into`, count by count. */
export function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): Record<string, number> {
  for (const [field, n] of Object.entries(from)) into[field] = (into[field] ?? 0) + n;
  return into;
}
