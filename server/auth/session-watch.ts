import type { OperatorId } from '../../protocol/ids.js';
import type { OperatorDirectory } from '../accounts/directory.js';
import type { Clock, TimerHandle } from '../clock.js';
import { authenticate } from './authenticate.js';
import type { SessionEvent } from './session-events.js';
import { hashToken, type Sessions } from './sessions.js';

/** How often open consoles have their session checked again. */
export const SESSION_RECHECK_MS = 60_000;

/** What an open console is told about its session. */
export interface ConsoleWatcher {
  /** The session ended: signed out, timed out, its account removed or its password changed. */
  expired(): void;
  /** The account changed but the session holds: reconnect, to work under the account as it is now. */
  changed(): void;
}

interface Watched {
  operator: OperatorId;
  /** The store's key for the session, as sign-out events name it. */
  hash: string;
  consoles: Set<ConsoleWatcher>;
}

/**
 * The open console sockets of each session on this node. A console that only listens (an
 * operator waiting for offers) sends nothing, so its session is checked again on a clock:
 * an open console counts as activity, but the absolute lifetime still closes it within a
 * minute. Sign-outs and account changes anywhere reach every node as session events
 * (session-events.ts) and act at once; the minute's check is their backstop, and what
 * notices a change made without a bus (`npm run operators` on the operators file).
 */
export class SessionWatch {
  private readonly open = new Map<string, Watched>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly sessions: Sessions,
    private readonly directory: OperatorDirectory,
    private readonly clock: Clock,
    private readonly everyMs = SESSION_RECHECK_MS,
  ) {}

  /** Tell `watcher` what happens to the session; returns the function that stops watching. */
  add(token: string, operator: OperatorId, watcher: ConsoleWatcher): () => void {
    const watched = this.open.get(token) ?? { operator, hash: hashToken(token), consoles: new Set() };
    watched.consoles.add(watcher);
    this.open.set(token, watched);
    return () => {
      watched.consoles.delete(watcher);
      if (watched.consoles.size === 0 && this.open.get(token) === watched) this.open.delete(token);
    };
  }

  /** The session signed out on this node: close its consoles now. */
  ended(token: string | undefined): void {
    if (!token) return;
    const watched = this.open.get(token);
    this.open.delete(token);
    for (const watcher of watched?.consoles ?? []) watcher.expired();
  }

  /** A sign-out or an account change, from any node. */
  async heard(event: SessionEvent): Promise<void> {
    if (event.type === 'signed-out') {
      for (const [token, watched] of this.open) if (watched.hash === event.session) this.ended(token);
      return;
    }
    for (const [token, watched] of [...this.open]) {
      if (watched.operator !== event.operator) continue;
      if (!(await authenticate(this.sessions, this.directory, token)).ok) this.ended(token);
      else for (const watcher of [...watched.consoles]) watcher.changed();
    }
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
