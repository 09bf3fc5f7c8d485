import { LIMITS } from '../../protocol/limits.js';

interface Window {
  startedAt: number;
  other: number;
  typing: number;
}

/**
 * Per-connection message budget. Over budget a message is refused with ERR_RATE_LIMITED
 * (and its seq, so the sender can retry it: refused, never silently dropped); a sender that
 * keeps flooding far past the budget is disconnected.
 *
 * A plain fixed-window counter per connection, not rate-limiter-flexible as for the
 * address limits: nothing here is shared, and its memory store kept a timer per key, which
 * cost every idle visitor's socket a few hundred bytes (npm run bench, RSS per visitor).
 */
export class MessageBudget {
  private readonly windows = new Map<string, Window>();
  private nextId = 0;

  constructor(
    private readonly perWindow: number = LIMITS.messagesPerWindow,
    private readonly windowMs: number = LIMITS.messageWindowSeconds * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  connectionKey(): string {
    return `c${this.nextId++}`;
  }

  /**
   * 'ok', 'refuse' (over budget), or 'disconnect' (over three times the budget). Typing
   * signals have a budget of their own: a fast typist's indicators must never crowd out
   * the messages themselves.
   */
  async spend(key: string, kind: 'typing' | 'other' = 'other'): Promise<'ok' | 'refuse' | 'disconnect'> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, other: 0, typing: 0 };
      this.windows.set(key, window);
    }
    const spent = ++window[kind];
    if (spent <= this.perWindow) return 'ok';
    return spent > this.perWindow * 3 ? 'disconnect' : 'refuse';
  }

  forget(key: string): void {
    this.windows.delete(key);
  }
}
