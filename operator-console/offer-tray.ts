import { ChatCipher } from '../e2e/chat-cipher.js';
import type { ProofResult } from './identity.js';
import type { TicketId } from '../protocol/ids.js';
import type { OperatorToServer, ServerToOperator } from '../protocol/operator-messages.js';
import { h } from '../browser-shared/dom.js';
import { labelFor, languageName, t } from './i18n.js';
import { OfferCard } from './views/offer-card.js';

type Offer = Extract<ServerToOperator, { type: 'offer' }>;

export interface OfferTrayDeps {
  send(message: OperatorToServer): boolean;
  announce(text: string): void;
  lineName(id: string): string;
  /** The number of offers changed. */
  changed(): void;
  /** A new offer is on show (after it was announced): for the chime and the notification. */
  arrived(offer: Offer, lineName: string): void;
  /** An offer is no longer on show: taken, declined, withdrawn or cleared. */
  gone(ticket: TicketId): void;
  /** What vouches for this chat key (identity/certificates.ts), if the deployment asks. */
  prove(ticket: TicketId, key: string): Promise<ProofResult>;
  /** Accepting failed for want of a usable identity key. */
  identityMissing(problem: 'missing' | 'expired'): void;
}

/**
 * Offers waiting for this operator. Accepting a chat makes its key pair at once and keeps
 * it here, by ticket, until `assigned` (or a refusal) says what became of it; accepting a
 * call sends no key at all.
 */
export class OfferTray {
  readonly el = h('div', { class: 'offer-list' });
  private readonly cards = new Map<TicketId, OfferCard>();
  private readonly pending = new Map<TicketId, ChatCipher>();
  /** Calls this window accepted, until `assigned`: only these connect their audio here. */
  private readonly callsAccepted = new Set<TicketId>();
  private locked = false;

  constructor(private readonly deps: OfferTrayDeps) {}

  get size(): number {
    return this.cards.size;
  }

  add(m: Offer): void {
    if (this.cards.has(m.ticket)) return;
    const lineName = this.deps.lineName(m.line);
    const card = new OfferCard(
      { ticket: m.ticket, channel: m.channel, lineName, language: m.language, topic: m.topic, waited: m.waited, expiresIn: m.expiresIn },
      {
        accept: () => void this.accept(m.ticket),
        decline: () => this.decline(m.ticket),
        expiring: () => this.deps.announce(t(m.channel === 'call' ? 'offer.announceCallExpiring' : 'offer.announceExpiring', { line: lineName })),
      },
    );
    card.setLocked(this.locked && m.channel === 'chat');
    this.cards.set(m.ticket, card);
    this.el.appendChild(card.el);
    this.deps.changed();
    this.deps.announce(t(m.channel === 'call' ? 'offer.announceCall' : 'offer.announce', { line: lineName, language: languageName(m.language), topic: labelFor('topics', m.topic) }));
    this.deps.arrived(m, lineName);
  }

  /** The offer's first button that can be pressed, for a notification clicked. */
  focus(ticket: TicketId): void {
    this.cards.get(ticket)?.el.querySelector<HTMLElement>('button:not([disabled])')?.focus();
  }

  /** The server withdrew the offer: say why, in the words for a chat or a call. */
  withdrawn(ticket: TicketId, reason: 'expired' | 'taken' | 'left'): void {
    const callerLeft = reason === 'left' && this.cards.get(ticket)?.channel === 'call';
    this.withdraw(ticket, t(callerLeft ? 'offer.withdrawn.callerLeft' : `offer.withdrawn.${reason}`));
  }

  /** The offer went elsewhere (expired, taken, the visitor left): say so if it was shown. */
  withdraw(ticket: TicketId, announcement: string): void {
    if (this.drop(ticket)) this.deps.announce(announcement);
  }

  /**
   * `assigned` arrived: hand over the key made when accepting (null if this console never
   * accepted it, e.g. after a reload) and remove the card.
   */
  take(ticket: TicketId): { cipher: ChatCipher | null; hadFocus: boolean; acceptedHere: boolean } {
    const cipher = this.pending.get(ticket) ?? null;
    const acceptedHere = cipher !== null || this.callsAccepted.delete(ticket);
    this.pending.delete(ticket);
    const hadFocus = !!this.cards.get(ticket)?.el.contains(document.activeElement);
    this.drop(ticket);
    return { cipher, hadFocus, acceptedHere };
  }

  /**
   * Offers stay on show while the operator has no identity key, but Accept waits for it
   * (each card says why). A call needs no key: its Accept is never locked.
   */
  setLocked(locked: boolean): void {
    this.locked = locked;
    for (const card of this.cards.values()) card.setLocked(locked && card.channel === 'chat');
  }

  /** The server refused our accept but the offer stands: forget its key, allow another try. */
  refused(ticket: TicketId, text: string): boolean {
    this.pending.get(ticket)?.wipe();
    this.pending.delete(ticket);
    const card = this.cards.get(ticket);
    card?.setIdle(text);
    return card !== undefined;
  }

  has(ticket: TicketId): boolean {
    return this.cards.has(ticket);
  }

  /** Forget every offer and every key made for one. */
  clear(): void {
    for (const ticket of [...this.cards.keys(), ...this.pending.keys()]) this.drop(ticket);
  }

  private async accept(ticket: TicketId): Promise<void> {
    const card = this.cards.get(ticket);
    if (card?.channel === 'call') return this.acceptCall(ticket, card);
    if (!card || this.pending.has(ticket) || this.locked) return;
    card.setBusy(t('offer.connecting'));
    const cipher = await ChatCipher.create('operator');
    const proved = await this.deps.prove(ticket, cipher.publicKey);
    // The offer may have been withdrawn while the key pair was made.
    if (!this.cards.has(ticket)) {
      cipher.wipe();
      return;
    }
    if (!proved.ok) {
      cipher.wipe();
      card.setIdle('');
      this.deps.identityMissing(proved.problem);
      return;
    }
    this.pending.set(ticket, cipher);
    const accept: OperatorToServer = { type: 'accept', ticket, key: cipher.publicKey, ...(proved.proof ? { proof: proved.proof } : {}) };
    if (!this.deps.send(accept)) {
      this.drop(ticket);
      this.deps.announce(t('desk.offline'));
    }
  }

  /** A call has no keys: the voice device connects once it is assigned (voice/call-panels.ts). */
  private acceptCall(ticket: TicketId, card: OfferCard): void {
    card.setBusy(t('offer.connecting'));
    this.callsAccepted.add(ticket);
    if (!this.deps.send({ type: 'accept', ticket })) {
      this.callsAccepted.delete(ticket);
      this.drop(ticket);
      this.deps.announce(t('desk.offline'));
    }
  }

  private decline(ticket: TicketId): void {
    this.deps.send({ type: 'decline', ticket });
    this.drop(ticket);
  }

  /** Removes a card and wipes any key made for it; true if there was a card. */
  private drop(ticket: TicketId): boolean {
    this.pending.get(ticket)?.wipe();
    this.pending.delete(ticket);
    const card = this.cards.get(ticket);
    if (!card) return false;
    const hadFocus = card.el.contains(document.activeElement);
    card.dispose();
    this.cards.delete(ticket);
    this.deps.gone(ticket);
    this.deps.changed();
    if (hadFocus) (this.el.querySelector<HTMLElement>('button:not([disabled])') ?? document.getElementById('offers-heading'))?.focus();
    return true;
  }
}
