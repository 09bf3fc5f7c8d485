import type { CallIo } from './call-io.js';

const CTRL_C = '\u0003';
const PHONE_KEYS = '0123456789*#';
/** A key pressed just between two key reads (the simulator was asking the server) still counts. */
const KEY_KEPT_MS = 1000;

/** The terminal as the phone: keys read one at a time in raw mode; h, Enter or Ctrl-C hang up. */
export interface TerminalIo extends CallIo {
  /** Gives the terminal back (raw mode off, stdin released). */
  close(): void;
}

/**
 * Keys pressed while no menu is listening are dropped after a moment, as a phone's are, except
 * a hang-up, which is kept until the call next waits. In a menu h and Ctrl-C hang up; while waiting, also
 * Enter (so "press Enter to hang up" works on the simulated bridge).
 */
export function terminalIo(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout): TerminalIo {
  let hungUp = false;
  let listener: ((key: string) => void) | null = null;
  let unheard: { key: string; at: number } | null = null;

  input.setRawMode(true);
  input.setEncoding('utf8');
  const onData = (chunk: string) => {
    for (const key of chunk) {
      if (key === CTRL_C || key === 'h' || key === 'H') hungUp = true;
      if (listener) listener(key);
      else if (PHONE_KEYS.includes(key)) unheard = { key, at: Date.now() };
    }
  };
  input.on('data', onData);
  input.resume();

  /** Resolves with what `pick` makes of a key, or `fallback` after `ms`. */
  const listen = <T>(ms: number, fallback: T, pick: (key: string) => T | undefined) =>
    new Promise<T>((resolve) => {
      const done = (value: T) => {
        clearTimeout(timer);
        listener = null;
        resolve(value);
      };
      const timer = setTimeout(() => done(fallback), ms);
      listener = (key) => {
        const value = pick(key);
        if (value !== undefined) done(value);
      };
    });

  return {
    print(line) {
      output.write(`${line}\n`);
    },
    async readKey(timeoutMs) {
      if (hungUp) return 'hangup';
      const kept = unheard !== null && Date.now() - unheard.at < KEY_KEPT_MS ? unheard.key : null;
      unheard = null;
      if (kept !== null) return kept;
      return listen<string | null>(timeoutMs, null, (key) => (hungUp ? 'hangup' : PHONE_KEYS.includes(key) ? key : undefined));
    },
    async sleep(ms) {
      if (hungUp) return 'hangup';
      return listen<'elapsed' | 'hangup'>(ms, 'elapsed', (key) => (hungUp || key === '\r' || key === '\n' ? 'hangup' : undefined));
    },
    close() {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
    },
  };
}
