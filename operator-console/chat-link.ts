import type { ChatCipher } from '../e2e/chat-cipher.js';
import { E2EError } from '../e2e/errors.js';
import type { ChatId } from '../protocol/ids.js';
import type { OperatorToServer } from '../protocol/operator-messages.js';
import { Outbox } from '../widget/shared/outbox.js';
import { ResendLater } from '../widget/shared/resend-later.js';

export type Received = { kind: 'text'; body: string } | { kind: 'replay' } | { kind: 'unreadable' };

/**
 * One chat's encryption and delivery on the operator's side. `cipher` is null when the
 * console lost the chat's keys (a reload): the chat can then only be wrapped up.
 *
 * `send` returns false when a message cannot go now (the socket is down, or the service
 * said it is degraded): it then waits here, unacknowledged, for flush().
 */
export class ChatLink {
  private readonly outbox = new Outbox();
  private readonly resendLater = new ResendLater(() => this.flush());

  constructor(
    readonly chat: ChatId,
    private cipher: ChatCipher | null,
    private readonly send: (message: OperatorToServer) => boolean,
  ) {}

  get canTalk(): boolean {
    return this.cipher?.established ?? false;
  }

  /** Seal and send a text; null when the keys are gone. */
  sendText(body: string): number | null {
    if (!this.cipher?.established) return null;
    const { seq, data } = this.cipher.seal({ t: 'text', body });
    this.outbox.add(seq, data);
    this.send({ type: 'msg', chat: this.chat, seq, data });
    return seq;
  }

  /** Same seq, same ciphertext: the server stores it once. */
  retry(seq: number): void {
    const item = this.outbox.retry(seq);
    if (item) this.send({ type: 'msg', chat: this.chat, seq: item.seq, data: item.data });
  }

  /**
   * Resend whatever the server never acked: after a reconnect (the server re-sends
   * `assigned`) and when the service is back (`service: ok`).
   */
  flush(): void {
    this.resendLater.cancel();
    for (const item of this.outbox.unsent()) {
      if (!this.send({ type: 'msg', chat: this.chat, seq: item.seq, data: item.data })) return;
    }
  }

  ack(seq: number): boolean {
    this.resendLater.succeeded();
    return this.outbox.ack(seq);
  }

  /**
   * The server could not store `seq` (ERR_UNAVAILABLE), or refused it as out of order
   * because an earlier one was not stored (ERR_BAD_SEQUENCE): keep it pending, not failed,
   * and send again in order after a wait, unless `service: ok` comes first. False when
   * the message is not one to keep: the caller marks it failed as usual.
   */
  hold(seq: number, code: 'ERR_UNAVAILABLE' | 'ERR_BAD_SEQUENCE', degraded: boolean): boolean {
    const kept = code === 'ERR_UNAVAILABLE' ? this.outbox.has(seq) : this.outbox.waitsBehind(seq);
    if (kept && !degraded) this.resendLater.schedule();
    return kept;
  }

  fail(seq: number): boolean {
    return this.outbox.fail(seq) !== undefined;
  }

  receive(seq: number, data: string): Received {
    if (!this.cipher?.established) return { kind: 'unreadable' };
    try {
      return { kind: 'text', body: this.cipher.open(seq, data).body };
    } catch (error) {
      // After a reconnect the server replays the whole chat; we already have those.
      if (error instanceof E2EError && error.reason === 'replay') return { kind: 'replay' };
      return { kind: 'unreadable' };
    }
  }

  wipe(): void {
    this.resendLater.cancel();
    this.cipher?.wipe();
    this.cipher = null;
    this.outbox.clear();
  }
}
