/**
 * Reconnect delays: exponential from half a second, capped at 15 s, with jitter so that
 * many clients dropped by one restarting node do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + random() / 2));
}
