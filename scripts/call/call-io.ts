/**
 * What the simulated caller does and hears, behind one seam: the terminal in `npm run call`,
 * a script in tests. Keys are the phone's: '0'–'9', '*', '#'.
 */
export interface CallIo {
  /** One line of what the caller hears or what happens on the call. */
  print(line: string): void;
  /**
   * The caller's next key within `timeoutMs`: a key, 'hangup', null when none came in time,
   * or 'silent' at once when the caller will press nothing for this key (a script's '-').
   */
  readKey(timeoutMs: number): Promise<KeyRead>;
  /** Waits `ms`, or less if the caller hangs up meanwhile. */
  sleep(ms: number): Promise<'elapsed' | 'hangup'>;
}

export type KeyRead = string | 'hangup' | 'silent' | null;

/** Scripted input: `--digits 1,2,-` and tests. The transcript is kept in `lines`. */
export interface ScriptedIo extends CallIo {
  readonly lines: string[];
  /** The caller hangs up now (Ctrl-C in a scripted run): pending and later waits end. */
  hangUp(): void;
}

/**
 * Each entry answers one key request in order: a key, or '-' for no input (the request then
 * times out, as a silent caller's would). Once the script runs out the caller stays silent.
 */
export function scriptedIo(keys: readonly string[], echo?: (line: string) => void): ScriptedIo {
  const queue = [...keys];
  const lines: string[] = [];
  let hungUp = false;
  const wakers = new Set<() => void>();

  const wait = (ms: number) =>
    new Promise<'elapsed' | 'hangup'>((resolve) => {
      if (hungUp) return resolve('hangup');
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve('hangup');
      };
      const timer = setTimeout(() => {
        wakers.delete(wake);
        resolve('elapsed');
      }, ms);
      wakers.add(wake);
    });

  return {
    lines,
    print(line) {
      lines.push(line);
      echo?.(line);
    },
    async readKey() {
      if (hungUp) return 'hangup';
      const key = queue.shift();
      return key === undefined || key === '-' ? 'silent' : key;
    },
    sleep: wait,
    hangUp() {
      hungUp = true;
      for (const wake of [...wakers]) wake();
    },
  };
}

/** `--digits 1,2,-` → ['1', '2', '-']; each entry one key or '-'. */
export function parseDigits(value: string): string[] {
  const keys = value.split(',').map((entry) => entry.trim());
  const bad = keys.find((key) => key.length !== 1 || !'0123456789*#-'.includes(key));
  if (bad !== undefined) throw new Error(`--digits: "${bad}" is not a key (0–9, *, #) or - (no input)`);
  return keys;
}
