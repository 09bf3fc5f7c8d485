/**
 * Waiting for the server's own async work in-process, without clock time passing: no sleeps
 * (the tests stay deterministic under load).
 */

/** Let the server's own async work run (a sweep a timer started) until `check` holds; no clock time passes. */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let turn = 0; turn < 500; turn++) {
    if (await check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Let the server's pending async work (routing runs a request started) run; no clock time passes. */
export async function settle(turns = 50): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}
