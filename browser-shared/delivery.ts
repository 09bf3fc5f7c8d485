import { Outbox, type Outgoing } from './outbox.js';
import { ResendLater } from './resend-later.js';

export type HoldCode = 'ERR_UNAVAILABLE' | 'ERR_BAD_SEQUENCE';

/**
 * One chat's outgoing sealed messages until the server acknowledges them, for the widget
 * and the console alike: what is unacknowledged goes again unchanged (same seq, same
 * ciphertext, so the server keeps it once) after a reconnect, on `service: ok`, or after a
 * growing wait when the server could not store it.
 *
 * `transmit` sends one message and returns false when it cannot go now (socket down or
 * service degraded): the message then simply stays pending.
 */
export class Delivery {
  private readonly outbox = new Outbox();
  private readonly later = new ResendLater(() => this.flush());

  constructor(private readonly transmit: (item: Outgoing) => boolean) {}

  /** A newly sealed message: keep it, and send it if we can. */
  add(seq: number, data: string): void {
    this.transmit(this.outbox.add(seq, data));
  }

  /** Retry a failed message exactly as it was. */
  retry(seq: number): void {
    const item = this.outbox.retry(seq);
    if (item) this.transmit(item);
  }

  /** Send again, oldest first, whatever the server has not acknowledged. */
  flush(): void {
    this.later.cancel();
    for (const item of this.outbox.unsent()) if (!this.transmit(item)) return;
  }

  /** True when `seq` was waiting for this ack. The next wait starts short again. */
  ack(seq: number): boolean {
    this.later.succeeded();
    return this.outbox.ack(seq);
  }

  /**
   * The server could not store `seq` (ERR_UNAVAILABLE), or refused it as out of order
   * because an earlier one was not stored (ERR_BAD_SEQUENCE): keep it pending, not failed,
   * and send again in order after a wait — unless the service is degraded, when
   * `service: ok` is the signal instead. False when it is not one to keep: mark it failed.
   */
  hold(seq: number, code: HoldCode, degraded: boolean): boolean {
    const kept = code === 'ERR_UNAVAILABLE' ? this.outbox.has(seq) : this.outbox.waitsBehind(seq);
    if (kept && !degraded) this.later.schedule();
    return kept;
  }

  /** True when `seq` was pending and is now marked failed (it waits for Retry). */
  fail(seq: number): boolean {
    return this.outbox.fail(seq) !== undefined;
  }

  /** The link is down or degraded: no timed resend; a reconnect or `ok` flushes. */
  pause(): void {
    this.later.cancel();
  }

  /** Forget every pending ciphertext. */
  clear(): void {
    this.later.cancel();
    this.outbox.clear();
  }
}
