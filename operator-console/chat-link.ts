import type { ChatCipher } from '../e2e/chat-cipher.js';
import { E2EError } from '../e2e/errors.js';
import type { ChatId } from '../protocol/ids.js';
import type { OperatorToServer } from '../protocol/operator-messages.js';
import { Delivery, type HoldCode } from '../browser-shared/delivery.js';

export type Received = { kind: 'text'; body: string } | { kind: 'replay' } | { kind: 'unreadable' };

/**
 * One chat's encryption and delivery on the operator's side. `cipher` is null when the
 * console lost the chat's keys (a reload): the chat can then only be wrapped up.
 *
 * `send` returns false when a message cannot go now (the socket is down, or the service
 * said it is degraded): it then waits here, unacknowledged, for flush().
 */
export class ChatLink {
  private readonly delivery: Delivery;

  constructor(
    readonly chat: ChatId,
    private cipher: ChatCipher | null,
    send: (message: OperatorToServer) => boolean,
  ) {
    this.delivery = new Delivery((item) => send({ type: 'msg', chat, seq: item.seq, data: item.data }));
  }

  get canTalk(): boolean {
    return this.cipher?.established ?? false;
  }

  /** Seal and send a text; null when the keys are gone. */
  sendText(body: string): number | null {
    if (!this.cipher?.established) return null;
    const { seq, data } = this.cipher.seal({ t: 'text', body });
    this.delivery.add(seq, data);
    return seq;
  }

  /** Same seq, same ciphertext: the server stores it once. */
  retry(seq: number): void {
    this.delivery.retry(seq);
  }

  /**
   * Resend whatever the server never acked: after a reconnect (the server re-sends
   * `assigned`) and when the service is back (`service: ok`).
   */
  flush(): void {
    this.delivery.flush();
  }

  ack(seq: number): boolean {
    return this.delivery.ack(seq);
  }

  /** Keep `seq` pending after ERR_UNAVAILABLE / ERR_BAD_SEQUENCE (see Delivery.hold). */
  hold(seq: number, code: HoldCode, degraded: boolean): boolean {
    return this.delivery.hold(seq, code, degraded);
  }

  fail(seq: number): boolean {
    return this.delivery.fail(seq);
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
    this.delivery.clear();
    this.cipher?.wipe();
    this.cipher = null;
  }
}
