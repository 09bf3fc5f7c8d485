import type { OperatorId, TicketId } from '../../protocol/ids.js';
import type { TimerHandle } from '../clock.js';
import { operatorProfile, type OperatorAccount } from '../accounts/account.js';
import { checkChatKey, type ChatKeyProof } from '../../identity/certificates.js';
import { assignedMessage, connectedMessage } from './chat-messages.js';
import type { PresenceStatus, Ticket } from '../routing/types.js';
import type { Dispatcher } from './dispatcher.js';
import type { OperatorPeer } from './outbox.js';
import type { LocalConnections } from './connections.js';
import { countAnswered, countChat, countMissedOffer, type RelayContext } from './relay-context.js';
import type { VisitorChats } from './visitor-chats.js';
import { MissedOffers } from './missed-offers.js';
import { cannedRepliesFor } from './canned-replies.js';

/**
 * The operator's side: presence, offers, their chats. Capacity and the one-operator-per-
 * ticket rule are enforced by the store's atomic accept, not here.
 */
export class OperatorDesk {
  private readonly awayTimers = new Map<OperatorId, TimerHandle>();
  /** Operators whose last console here left while the store was away: retried by the sweeper. */
  private readonly pendingDetaches = new Set<OperatorId>();
  /** `operator \0 chat` of running chats whose operator wrote from this node: see message(). */
  private readonly running = new Set<string>();
  private draining = false;
  private readonly missed: MissedOffers;

  constructor(
    private readonly ctx: RelayContext,
    private readonly dispatcher: Dispatcher,
    private readonly visitors: VisitorChats,
    private readonly connections: LocalConnections,
  ) {
    this.missed = new MissedOffers(ctx.config.offersMissedBeforeAway, (operator, missed) =>
      this.setStatus(operator, 'away', { reason: 'missed-offers', missed }),
    );
    connections.onOperatorMessage((operator, message) => {
      if (message.type === 'offer-withdrawn' && message.reason === 'expired') return this.missed.expired(operator);
    });
  }

  /**
   * A console connected (to this node; the operator may have others on other nodes): restore
   * or create presence, then say hello and resend their chats.
   */
  async connected(peer: OperatorPeer, account: OperatorAccount): Promise<void> {
    const { store, clock, config } = this.ctx;
    this.awayTimers.get(account.id)?.cancel();
    this.awayTimers.delete(account.id);
    await this.connections.attachOperator(account.id, peer);
    const existing = await store.getPresence(account.id);
    // A second console of a connected operator shares their status; otherwise a connection
    // starts away, so nobody gets offers they did not ask for. A console whose connection
    // dropped asks for its status again itself (operator-console/desk.ts).
    const status = existing && existing.status !== 'offline' ? existing.status : 'away';
    const { id, name, lines, languages, topics, capacity } = account;
    await store.upsertPresence({ id, name, lines, languages, topics, capacity }, status, clock.now(), config.sessionMaxMs);
    const presence = (await store.attachConsole(id, this.ctx.nodeId))!;
    const held = (await Promise.all(presence.active.map((chat) => store.getTicket(chat)))).filter(
      (t): t is Ticket => t?.state === 'active',
    );
    // Through the console's queue: an offer published meanwhile must not overtake the welcome.
    await this.connections.toLocalOperator(id, peer, {
      type: 'welcome',
      operator: operatorProfile(account),
      status: presence.status,
      wrapUps: config.lines.wrapUps,
      chats: held.map((t) => t.id),
      identity: config.orgPublicKey ? 'required' : 'off',
      canned: cannedRepliesFor(config.lines, account),
    });
    for (const t of held) await this.connections.replayChat(account.id, peer, t.id, assignedMessage(t));
    this.ctx.logger.info({ event: 'operator.connected', operator: account.id, status: presence.status }, 'operator connected');
    await this.dispatcher.schedule();
  }

  /** `why` when the server changes it (missed offers); without, it is the operator's own choice. */
  async setStatus(operatorId: OperatorId, status: PresenceStatus, why?: { reason: 'missed-offers'; missed: number }): Promise<void> {
    if (!why) this.missed.answered(operatorId);
    const before = await this.ctx.store.getPresence(operatorId);
    if (!before) return;
    // Becoming available starts the idle clock that ranks operators for the next offer.
    const idleSince = before.status !== 'available' && status === 'available' ? this.ctx.clock.now() : undefined;
    await this.ctx.store.setPresenceStatus(operatorId, status, this.ctx.config.sessionMaxMs, idleSince);
    if (status !== 'available') await this.withdrawOffers(operatorId);
    this.ctx.outbox.toOperator(operatorId, { type: 'status', status, ...why });
    this.ctx.logger.info({ event: 'operator.status', operator: operatorId, status, ...(why ? { reason: why.reason, count: why.missed } : {}) }, 'operator status');
    // Set by the server, this runs as an effect the dispatcher's run waits for: not awaited here.
    if (why) void this.dispatcher.schedule();
    else await this.dispatcher.schedule();
  }

  /**
   * Take an offered ticket: a chat with the operator's key (and proof), a call with neither
   * (the console's voice device then connects out to it: server/voice/).
   */
  async accept(peer: OperatorPeer, operatorId: OperatorId, ticketId: TicketId, key: string | undefined, proof?: ChatKeyProof): Promise<void> {
    const { store, clock, outbox, config } = this.ctx;
    this.missed.answered(operatorId);
    // Only a call may come without a key: a chat accepted without one could never be read.
    if (key === undefined && (await store.getTicket(ticketId))?.channel === 'chat') {
      peer.send({ type: 'error', code: 'ERR_BAD_MESSAGE', ticket: ticketId });
      return;
    }
    // The widget checks the proof fully; refusing a bad one here tells the operator now,
    // instead of leaving a visitor with a chat their widget will not trust.
    if (key !== undefined && config.orgPublicKey && !this.certified(operatorId, key, ticketId, proof)) {
      peer.send({ type: 'error', code: 'ERR_IDENTITY_REQUIRED', ticket: ticketId });
      return;
    }
    const result = await store.acceptOffer(ticketId, operatorId, key ?? '', clock.now(), proof ?? null, config.callCapacityRule);
    if (!result.ok) {
      this.ctx.metrics.offer('refused');
      if (result.reason === 'at-capacity' && (await store.withdrawOffer(ticketId, operatorId))) {
        // Pass it on now rather than hold the visitor until the offer would have expired.
        this.dispatcher.cancelOffer(ticketId);
      }
      peer.send({ type: 'error', code: result.reason === 'gone' ? 'ERR_OFFER_GONE' : 'ERR_AT_CAPACITY', ticket: ticketId });
      peer.send({ type: 'offer-withdrawn', ticket: ticketId, reason: result.reason === 'gone' ? await this.goneWhy(ticketId) : 'expired' });
      await this.dispatcher.schedule();
      return;
    }
    const t = result.ticket;
    this.dispatcher.cancelOffer(ticketId);
    outbox.toOperator(operatorId, assignedMessage(t));
    if (t.channel === 'chat') outbox.toVisitor(t.id, connectedMessage(t));
    const waited = ((t.acceptedAt ?? t.createdAt) - t.createdAt) / 1000;
    this.ctx.metrics.offer('accepted');
    this.ctx.metrics.answered(t, waited);
    this.ctx.logger.info({ event: 'offer.accepted', ticket: t.id, operator: operatorId }, 'offer accepted');
    await countAnswered(this.ctx, t, waited);
    await this.dispatcher.schedule();
  }

  /**
   * Why an offer could not be taken: the visitor or caller left (a caller who hung up just
   * before the accept), or someone else has it. Read only when an accept fails.
   */
  private async goneWhy(ticketId: TicketId): Promise<'left' | 'taken'> {
    const t = await this.ctx.store.getTicket(ticketId);
    return t?.state === 'ended' && t.endedBy === 'visitor' ? 'left' : 'taken';
  }

  private certified(operatorId: OperatorId, key: string, chat: TicketId, proof: ChatKeyProof | undefined): boolean {
    const verdict = checkChatKey(this.ctx.config.orgPublicKey!, proof, chat, key, this.ctx.clock.now());
    return verdict.ok && proof!.certificate.operator === operatorId;
  }

  async decline(operatorId: OperatorId, ticketId: TicketId): Promise<void> {
    this.missed.answered(operatorId);
    if (await this.ctx.store.withdrawOffer(ticketId, operatorId)) {
      this.dispatcher.cancelOffer(ticketId);
      this.ctx.metrics.offer('declined');
      await countMissedOffer(this.ctx, ticketId, operatorId, 'declined');
      this.ctx.logger.info({ event: 'offer.declined', ticket: ticketId, operator: operatorId }, 'offer declined');
    }
    await this.dispatcher.schedule();
  }

  async message(peer: OperatorPeer, operatorId: OperatorId, chat: TicketId, seq: number, data: string): Promise<void> {
    // As for visitors (VisitorChats.message): a chat known to be this operator's and running
    // skips the ticket read; if it ended meanwhile its buffer is gone and the append says 'gap'.
    const key = `${operatorId}\u0000${chat}`;
    if (!this.running.has(key) && !(await this.checkRunning(peer, operatorId, chat, seq))) return;
    const result = await this.ctx.store.appendMessage(chat, 'operator', { seq, data });
    if (result === 'gap' && this.running.delete(key) && !(await this.checkRunning(peer, operatorId, chat, seq))) return;
    if (result === 'gap' || result === 'full') {
      peer.send({ type: 'error', code: result === 'gap' ? 'ERR_BAD_SEQUENCE' : 'ERR_CHAT_TOO_LONG', chat, seq });
      return;
    }
    // A duplicate is published again, as for visitors: the node that stored it may have died
    // before publishing; the visitor's socket is sent each sequence number once.
    this.ctx.outbox.toVisitor(chat, { type: 'msg', seq, data });
    peer.send({ type: 'ack', chat, seq });
  }

  /** Whether the chat is running and this operator's (then remembered); otherwise says why. */
  private async checkRunning(peer: OperatorPeer, operatorId: OperatorId, chat: TicketId, seq: number): Promise<boolean> {
    const ticket = await this.ctx.store.getTicket(chat);
    if (!ticket || ticket.operatorId !== operatorId) {
      peer.send({ type: 'error', code: 'ERR_NOT_IN_CHAT', chat, seq });
      return false;
    }
    if (ticket.state !== 'active') {
      peer.send({ type: 'error', code: ticket.state === 'ended' ? 'ERR_CHAT_ENDED' : 'ERR_NOT_CONNECTED', chat, seq });
      return false;
    }
    this.running.add(`${operatorId}\u0000${chat}`);
    return true;
  }

  async typing(operatorId: OperatorId, chat: TicketId, on: boolean): Promise<void> {
    const ticket = await this.ctx.store.getTicket(chat);
    if (ticket?.state === 'active' && ticket.operatorId === operatorId) this.ctx.outbox.toVisitor(chat, { type: 'typing', on });
  }

  /**
   * End a chat with a wrap-up category. Also how the operator closes a chat the visitor has
   * already left: then only the category is recorded.
   */
  async end(peer: OperatorPeer, operatorId: OperatorId, chat: TicketId, wrapUp: string): Promise<void> {
    const { store, outbox, logger, config } = this.ctx;
    if (!config.lines.wrapUps.includes(wrapUp)) {
      peer.send({ type: 'error', code: 'ERR_UNKNOWN_WRAP_UP', chat });
      return;
    }
    this.running.delete(`${operatorId}\u0000${chat}`);
    const ticket = await store.getTicket(chat);
    if (ticket && ticket.operatorId !== operatorId) {
      peer.send({ type: 'error', code: 'ERR_NOT_IN_CHAT', chat });
      return;
    }
    // Each chat's wrap-up counts once: when the operator ends a running chat, or closes one
    // the visitor or the system ended. A chat the operator ended already, or one purged (a
    // quick exit, or wrapped up before), has nothing more to count.
    const wrappable = ticket !== undefined && (ticket.state === 'active' || ticket.endedBy !== 'operator');
    if (ticket?.state === 'active') {
      await this.visitors.end(chat, 'operator');
      outbox.toVisitor(chat, { type: 'ended', by: 'operator' });
    }
    if (wrappable) {
      // Counted, not logged: a log line per contact must not say the category.
      await countChat(this.ctx, ticket, `wrapUp:${wrapUp}`);
      logger.info({ event: 'chat.wrapped-up', ticket: chat }, 'chat wrapped up');
      // Both sides are done with a chat the visitor had already left: nothing to keep.
      if (ticket.state === 'ended') await store.deleteTicket(chat);
    }
    outbox.toOperator(operatorId, { type: 'ended', chat, by: 'operator' });
  }

  /**
   * The operator's last console on this node went away. If they have none on any node, no
   * new offers; their chats wait for the grace (here, or on any node's sweeper).
   */
  async disconnected(operatorId: OperatorId): Promise<void> {
    const { store, clock, config } = this.ctx;
    for (const key of this.running) if (key.startsWith(`${operatorId}\u0000`)) this.running.delete(key);
    const presence = await store.detachConsole(operatorId, this.ctx.nodeId, clock.now());
    this.ctx.logger.info({ event: 'operator.disconnected', operator: operatorId }, 'operator disconnected');
    if (!presence || presence.nodes.length > 0) return;
    await this.wentAway(operatorId);
    if (this.draining) return;
    const since = presence.disconnectedAt;
    this.awayTimers.get(operatorId)?.cancel();
    this.awayTimers.set(
      operatorId,
      clock.after(config.reconnectGraceMs, () => {
        this.awayTimers.delete(operatorId);
        void this.endIfStillAway(operatorId, since).catch(() => undefined);
      }),
    );
  }

  detachLater(operatorId: OperatorId): void {
    this.pendingDetaches.add(operatorId);
  }

  async retryPendingDetaches(): Promise<void> {
    for (const id of [...this.pendingDetaches]) {
      this.pendingDetaches.delete(id);
      if (this.connections.hasOperator(id)) continue;
      // Still away? Keep it for the next round rather than lose the operator's detach.
      await this.disconnected(id).catch(() => this.pendingDetaches.add(id));
    }
  }

  /** Nobody can take offers as this operator now: pass theirs on. */
  async wentAway(operatorId: OperatorId): Promise<void> {
    await this.withdrawOffers(operatorId);
    await this.dispatcher.schedule();
  }

  /** Their grace ran out: end their chats unless a console came back (on any node) meanwhile. */
  async endIfStillAway(operatorId: OperatorId, since: number | null): Promise<void> {
    const presence = await this.ctx.store.getPresence(operatorId);
    if (!presence || presence.nodes.length > 0 || presence.disconnectedAt !== since) return;
    for (const chat of presence.active) {
      if (await this.visitors.end(chat, 'system')) this.ctx.outbox.toVisitor(chat, { type: 'ended', by: 'system' });
    }
  }

  /** A draining node: consoles are only marked away; the grace runs on the nodes that stay. */
  drain(): void {
    this.draining = true;
    for (const timer of this.awayTimers.values()) timer.cancel();
    this.awayTimers.clear();
  }

  private async withdrawOffers(operatorId: OperatorId): Promise<void> {
    for (const t of await this.ctx.store.listTickets()) {
      if (t.state === 'waiting' && t.offer?.operatorId === operatorId && (await this.ctx.store.withdrawOffer(t.id, operatorId))) {
        this.dispatcher.cancelOffer(t.id);
        this.ctx.outbox.toOperator(operatorId, { type: 'offer-withdrawn', ticket: t.id, reason: 'expired' });
      }
    }
  }

}
