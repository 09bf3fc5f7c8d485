import type { ChatCipher } from '../e2e/chat-cipher.js';
import { E2EError } from '../e2e/errors.js';
import type { ChatId } from '../protocol/ids.js';
import type { OperatorToServer } from '../protocol/operator-messages.js';
import { Outbox } from '../widget/shared/outbox.js';

export type Received = { kind: 'text'; body: string } | { kind: 'replay' } | { kind: 'unreadable' };

/**
 * One chat's encryption and delivery on the operator's side. `cipher` is null when the
 * console lost the chat's keys (a reload): the chat can then only be wrapped up.
 */
export class ChatLink {
  private readonly outbox = new Outbox();

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

  /** After a reconnect the server re-sends `assigned`: resend whatever it never acked. */
  flush(): void {
    for (const item of this.outbox.unsent()) this.send({ type: 'msg', chat: this.chat, seq: item.seq, data: item.data });
  }

  ack(seq: number): boolean {
    return this.outbox.ack(seq);
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
    this.cipher?.wipe();
    this.cipher = null;
    this.outbox.clear();
  }
}
