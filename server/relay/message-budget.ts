import { RateLimiterMemory } from 'rate-limiter-flexible';
import { LIMITS } from '../../protocol/limits.js';

/**
 * Per-connection message budget. Over budget a message is refused with ERR_RATE_LIMITED
 * (and its seq, so the sender can retry it: refused, never silently dropped); a sender that
 * keeps flooding far past the budget is disconnected.
 */
export class MessageBudget {
  private readonly limiter: RateLimiterMemory;
  private nextId = 0;

  constructor(private readonly perWindow: number = LIMITS.messagesPerWindow) {
    this.limiter = new RateLimiterMemory({ points: perWindow, duration: LIMITS.messageWindowSeconds });
  }

  connectionKey(): string {
    return `c${this.nextId++}`;
  }

  /**
   * 'ok', 'refuse' (over budget), or 'disconnect' (over three times the budget). Typing
   * signals have a budget of their own: a fast typist's indicators must never crowd out
   * the messages themselves.
   */
  async spend(key: string, kind: 'typing' | 'other' = 'other'): Promise<'ok' | 'refuse' | 'disconnect'> {
    try {
      await this.limiter.consume(`${key}:${kind}`);
      return 'ok';
    } catch (rejection) {
      const consumed = (rejection as { consumedPoints?: number }).consumedPoints ?? 0;
      return consumed > this.perWindow * 3 ? 'disconnect' : 'refuse';
    }
  }

  forget(key: string): void {
    void this.limiter.delete(`${key}:typing`);
    void this.limiter.delete(`${key}:other`);
  }
}
