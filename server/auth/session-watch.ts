import type { Clock, TimerHandle } from '../clock.js';
import { authenticate } from './authenticate.js';
import type { OperatorDirectory } from './operators-file.js';
import type { Sessions } from './sessions.js';

/** How often open consoles have their session checked again. */
export const SESSION_RECHECK_MS = 60_000;

/**
 * The open console sockets of each session. A console that only listens (an operator
 * waiting for offers) sends nothing, so its session is checked again on a clock: an open
 * console counts as activity, but the absolute lifetime, a removed account or a changed
 * password still close it within a minute, and signing out closes it at once.
 */
export class SessionWatch {
  private readonly open = new Map<string, Set<() => void>>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly sessions: Sessions,
    private readonly directory: OperatorDirectory,
    private readonly clock: Clock,
    private readonly everyMs = SESSION_RECHECK_MS,
  ) {}

  /** Call `expire` when the session ends; returns the function that stops watching. */
  add(token: string, expire: () => void): () => void {
    const set = this.open.get(token) ?? new Set();
    set.add(expire);
    this.open.set(token, set);
    return () => {
      set.delete(expire);
      if (set.size === 0) this.open.delete(token);
    };
  }

  /** The session was ended by its owner (sign-out): close its consoles now. */
  ended(token: string | undefined): void {
    if (!token) return;
    for (const expire of this.open.get(token) ?? []) expire();
    this.open.delete(token);
  }

  async recheck(): Promise<void> {
    for (const token of [...this.open.keys()]) {
      if (!(await authenticate(this.sessions, this.directory, token)).ok) this.ended(token);
    }
  }

  start(): void {
    const tick = () => {
      void this.recheck().catch(() => undefined);
      this.timer = this.clock.after(this.everyMs, tick);
    };
    this.timer = this.clock.after(this.everyMs, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
