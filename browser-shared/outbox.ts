/**
 * Sealed messages not yet acknowledged. A message keeps its sequence number and
 * ciphertext until acked, so a retry or a resend after reconnecting is byte-identical and
 * the server can drop the duplicate.
 */
export interface Outgoing {
  seq: number;
  data: string;
  failed: boolean;
}

export class Outbox {
  private readonly pending = new Map<number, Outgoing>();

  add(seq: number, data: string): Outgoing {
    const item = { seq, data, failed: false };
    this.pending.set(seq, item);
    return item;
  }

  /** True when `seq` was waiting for this ack. */
  ack(seq: number): boolean {
    return this.pending.delete(seq);
  }

  /** True while `seq` waits for its ack. */
  has(seq: number): boolean {
    return this.pending.has(seq);
  }

  fail(seq: number): Outgoing | undefined {
    const item = this.pending.get(seq);
    if (item) item.failed = true;
    return item;
  }

  /** Mark a failed message as going out again; returns what to resend. */
  retry(seq: number): Outgoing | undefined {
    const item = this.pending.get(seq);
    if (item) item.failed = false;
    return item;
  }

  /**
   * Whether a message before `seq` still waits to be stored: then a refusal of `seq` as
   * out of order (ERR_BAD_SEQUENCE) only means the earlier one must go first.
   */
  waitsBehind(seq: number): boolean {
    for (const m of this.pending.values()) if (m.seq < seq && !m.failed) return true;
    return false;
  }

  /** Messages to resend after a reconnect, oldest first (failed ones wait for Retry). */
  unsent(): Outgoing[] {
    return [...this.pending.values()].filter((m) => !m.failed).sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.pending.clear();
  }
}
