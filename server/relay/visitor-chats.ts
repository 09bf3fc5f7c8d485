import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ErrorCode } from '../../protocol/errors.js';
import type { TicketId } from '../../protocol/ids.js';
import type { EndedBy, VisitorToServer } from '../../protocol/visitor-messages.js';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CLOSE_CODES } from '../../protocol/close-codes.js';
import type { TimerHandle } from '../clock.js';
import { isOpen } from '../routing/opening-hours.js';
import { newTicket } from '../routing/new-ticket.js';
import type { Ticket } from '../routing/types.js';
import type { Dispatcher, Standing } from './dispatcher.js';
import type { VisitorPeer } from './outbox.js';
import type { LocalConnections } from './connections.js';
import { StoreUnavailableError, type EndOptions } from '../store/store.js';
import { connectedMessage } from './chat-messages.js';
import { countChat, type RelayContext } from './relay-context.js';
import { errorFields } from '../logging.js';
import type { Unanswered } from '../stats/aggregates.js';
import { countArrival } from '../stats/coverage.js';

type RequestMessage = Extract<VisitorToServer, { type: 'request' }>;

/** How long an operator has to wrap up a chat the visitor (or the system) ended. */
export const WRAP_UP_WINDOW_MS = 30 * 60_000;

/** Ticket ids are 16 random bytes: 22 characters of base64url; the resume token appends a secret. */
const TICKET_ID_CHARS = 22;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * The visitor's side of a chat: asking, waiting, talking, leaving, coming back. Tickets and
 * messages live in the store, and so does where each visitor's socket is (node and attach
 * epoch), so a visitor may come back through any node. This node keeps only timers, which
 * the sweeper of any node stands in for if this node dies, and its per-address limits.
 */
export class VisitorChats {
  private readonly graceTimers = new Map<TicketId, TimerHandle>();
  /**
   * What the store could not take while it was away (a detach, a leave, a quick exit's
   * purge), by ticket or token: done again each sweeper round until the store takes it.
   * Bounded, since a beacon during an outage is unauthenticated until the store is back.
   */
  private readonly whenBack = new Map<string, () => Promise<void>>();
  private draining = false;
  /**
   * New chats per sender address (HMAC'd), so one sender cannot fill every queue with empty
   * tickets. Per node: with N nodes a sender gets up to N times as many.
   */
  private readonly newChats: RateLimiterMemory;
  /** Open chats per sender (HMAC'd address), and the reverse, to forget them when they end. */
  private readonly openBySender = new Map<string, Set<TicketId>>();
  private readonly senderOf = new Map<TicketId, { sender: string; at: number }>();
  /** Running chats whose visitor is on this node, and their operator: see message(). */
  private readonly running = new Map<TicketId, string>();

  constructor(
    private readonly ctx: RelayContext,
    private readonly dispatcher: Dispatcher,
    private readonly connections: LocalConnections,
  ) {
    this.newChats = new RateLimiterMemory({ points: ctx.limits.newChatsPer10Min, duration: 10 * 60 });
  }

  /** Check a request against the line's config; the error code if it cannot be queued. */
  refusal(request: RequestMessage): ErrorCode | null {
    const line = this.ctx.line(request.line);
    if (!line) return 'ERR_UNKNOWN_LINE';
    if (!line.languages.includes(request.language)) return 'ERR_UNSUPPORTED_LANGUAGE';
    if (!line.topics.includes(request.topic)) return 'ERR_UNKNOWN_TOPIC';
    const schedule = { timezone: line.timezone, hours: line.hours, holidays: this.ctx.config.lines.holidays };
    if (!this.ctx.config.ignoreHours && !isOpen(schedule, this.ctx.clock.now())) return 'ERR_LINE_CLOSED';
    return null;
  }

  /**
   * Queue a new chat. `bind` learns the ticket as soon as it exists, before anything else
   * can fail, so a socket that errors or drops later still leads to the grace and the purge.
   */
  async request(peer: VisitorPeer, request: RequestMessage, addressKey: string, bind: (id: TicketId) => void): Promise<void> {
    const refusal = this.refusal(request);
    if (refusal) {
      peer.fail(refusal);
      return;
    }
    try {
      await this.pruneSender(addressKey);
      if ((this.openBySender.get(addressKey)?.size ?? 0) >= this.ctx.limits.openChatsPerAddress) throw new Error('too many open');
      await this.newChats.consume(addressKey);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      this.ctx.logger.warn({ event: 'ticket.limited', line: request.line, code: 'ERR_TOO_MANY_CHATS' }, 'too many new chats');
      peer.send({ type: 'error', code: 'ERR_TOO_MANY_CHATS' });
      return;
    }
    const id = randomBytes(16).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const ticket = newTicket(
      id,
      {
        line: request.line,
        language: request.language,
        topic: request.topic,
        visitorKey: request.key,
        tokenHash: sha256(secret).toString('base64url'),
      },
      this.ctx.clock.now(),
      this.ctx.nodeId,
    );
    // Listen before the ticket exists, so nothing published for it can be missed; undo if
    // the store will not take it.
    await this.connections.attachVisitor(id, peer, ticket.visitorEpoch, 0);
    try {
      await this.ctx.store.createTicket(ticket, this.ctx.config.chatMaxMs);
    } catch (error) {
      this.connections.detachVisitor(id, peer);
      throw error;
    }
    bind(id);
    this.openBySender.set(addressKey, (this.openBySender.get(addressKey) ?? new Set()).add(id));
    this.senderOf.set(id, { sender: addressKey, at: this.ctx.clock.now() });
    // From here the visitor must get their token whatever the store does: without it the
    // chat could not be resumed. A place we cannot read now is told by the next run; until
    // then nothing is promised (no estimate, nobody known to be on duty).
    const { told: standing, operators } = await this.dispatcher
      .standing(ticket)
      .catch(() => ({ told: { position: 1, estimate: null, available: false } satisfies Standing, operators: null }));
    await this.connections.toLocalVisitor(id, { type: 'queued', chat: id, token: id + secret, ...standing });
    // Language and topic go to the aggregates only: a log line per contact must not say them.
    this.ctx.logger.info({ event: 'ticket.created', ticket: id, line: ticket.line }, 'ticket created');
    await countChat(this.ctx, ticket, 'requested').catch((error: unknown) =>
      this.ctx.logger.warn({ event: 'count.failed', ticket: id, ...errorFields(error) }, 'not counted'),
    );
    // Unknown who was on duty (the store did not answer): not counted either way.
    if (operators) await countArrival(this.ctx, ticket, operators);
    await this.dispatcher.schedule();
  }

  /** The ticket a resume token belongs to, or undefined; compared in constant time. */
  private async ticketForToken(token: string): Promise<Ticket | undefined> {
    const id = token.slice(0, TICKET_ID_CHARS);
    const ticket = token.length > TICKET_ID_CHARS ? await this.ctx.store.getTicket(id) : undefined;
    const presented = sha256(token.slice(TICKET_ID_CHARS));
    const expected = ticket ? Buffer.from(ticket.tokenHash, 'base64url') : Buffer.alloc(presented.length);
    return ticket && expected.length === presented.length && timingSafeEqual(presented, expected) ? ticket : undefined;
  }

  /**
   * Come back with a token, through this node or any other; on a bad token the peer is told
   * why and closed. The store's attach epoch makes this socket the visitor's only one: an
   * older socket here or on another node is closed as replaced, and a grace timer running for
   * the old one can no longer end the chat.
   */
  async resume(peer: VisitorPeer, token: string, received: number, bind: (id: TicketId) => void): Promise<void> {
    const found = await this.ticketForToken(token);
    const epoch = found && (await this.ctx.store.attachVisitor(found.id, this.ctx.nodeId));
    if (!found || epoch === undefined) {
      peer.fail('ERR_RESUME_FAILED');
      return;
    }
    const id = found.id;
    this.graceTimers.get(id)?.cancel();
    this.graceTimers.delete(id);
    this.whenBack.delete(`ticket:${id}`);
    let opened!: () => void;
    const opening = new Promise<void>((resolve) => (opened = resolve));
    let replaced: VisitorPeer | undefined;
    try {
      replaced = await this.connections.attachVisitor(id, peer, epoch, received, opening);
    } catch (error) {
      // This node could not listen for the chat (the bus is away): it must not stay attached
      // here with no socket, or its grace would never run.
      const now = this.ctx.clock.now();
      await this.orWhenBack(`ticket:${id}`, async () => {
        if (await this.ctx.store.detachVisitor(id, epoch, now)) this.startGrace(id, epoch);
      });
      throw error;
    }
    bind(id);
    replaced?.close(CLOSE_CODES.replaced, 'replaced');
    this.ctx.outbox.toVisitor(id, { type: 'replaced', epoch });
    let ticket = found;
    try {
      // Read again now that this node listens: whatever happened before is in the record.
      ticket = (await this.ctx.store.getTicket(id)) ?? found;
      peer.send({ type: 'resumed', chat: id });
      if (ticket.state === 'ended') peer.send({ type: 'ended', by: ticket.endedBy ?? 'system' });
      else if (ticket.state === 'active' && ticket.operatorKey) {
        peer.send(connectedMessage(ticket));
        this.connections.markConnected(id, peer);
        if (ticket.operatorId) this.ctx.outbox.toOperator(ticket.operatorId, { type: 'visitor', chat: id, connection: 'back' });
      }
    } finally {
      opened(); // what the bus brought meanwhile follows, in order
    }
    this.ctx.logger.info({ event: 'visitor.resumed', ticket: id, status: ticket.state }, 'visitor resumed');
    if (ticket.state === 'ended') return;
    if (ticket.state === 'active') await this.connections.catchUpVisitor(id);
    if (ticket.state === 'waiting') this.dispatcher.watch(ticket);
    await this.dispatcher.schedule();
  }

  async message(peer: VisitorPeer, id: TicketId, seq: number, data: string): Promise<void> {
    // A chat known to be running skips the ticket read: that read was a third of the store
    // work per message. If it ended meanwhile, its buffer is gone and the append says 'gap'.
    let operatorId = this.running.get(id);
    if (!operatorId) {
      const ticket = await this.checkRunning(peer, id, seq);
      if (!ticket) return;
      operatorId = ticket.operatorId!;
    }
    const result = await this.ctx.store.appendMessage(id, 'visitor', { seq, data });
    if (result === 'gap' && this.running.delete(id)) {
      // Perhaps it ended: say so if it did, else it really is out of order.
      if (!(await this.checkRunning(peer, id, seq))) return;
    }
    if (result === 'gap' || result === 'full') {
      peer.send({ type: 'error', code: result === 'gap' ? 'ERR_BAD_SEQUENCE' : 'ERR_CHAT_TOO_LONG', seq });
      return;
    }
    // A duplicate is published again: the node that stored it may have died before it could
    // publish. The operator's console is sent each sequence number once whatever the bus does.
    this.ctx.outbox.toOperator(operatorId, { type: 'msg', chat: id, seq, data });
    peer.send({ type: 'ack', seq });
  }

  /** The ticket if its chat is running (and remembered as such); otherwise the peer is told why. */
  private async checkRunning(peer: VisitorPeer, id: TicketId, seq: number): Promise<Ticket | undefined> {
    const ticket = await this.ctx.store.getTicket(id);
    if (ticket?.state === 'ended') {
      // Refused by number, and the reason again in case the `ended` was missed.
      peer.send({ type: 'error', code: 'ERR_CHAT_ENDED', seq });
      peer.send({ type: 'ended', by: ticket.endedBy ?? 'system' });
      return undefined;
    }
    if (!ticket || ticket.state !== 'active' || !ticket.operatorId) {
      peer.send({ type: 'error', code: 'ERR_NOT_CONNECTED', seq });
      return undefined;
    }
    this.running.set(id, ticket.operatorId);
    return ticket;
  }

  async typing(id: TicketId, on: boolean): Promise<void> {
    const ticket = await this.ctx.store.getTicket(id);
    if (ticket?.state === 'active' && ticket.operatorId) {
      this.ctx.outbox.toOperator(ticket.operatorId, { type: 'typing', chat: id, on });
    }
  }

  /**
   * The visitor leaves. A quick exit purges the ticket at once instead of after the grace.
   * With the store away, the visitor still leaves at once; the end and the purge follow as
   * soon as the store is back.
   */
  async leave(peer: VisitorPeer, id: TicketId, quick: boolean): Promise<void> {
    const finish = async () => {
      await this.end(id, 'visitor', {}, { quick });
      if (quick) await this.ctx.store.deleteTicket(id);
    };
    await this.orWhenBack(`ticket:${id}`, finish);
    peer.send({ type: 'ended', by: 'visitor' });
    this.connections.detachVisitor(id, peer);
    this.dispatcher.forget(id);
    peer.close(CLOSE_CODES.normal, 'ended');
  }

  /**
   * Leave without a socket: what a widget sends (as a beacon) when its connection is down
   * at the moment the visitor ends or quick-exits, so the chat does not live on for the
   * grace with an operator still writing into it. 'later' when the store is away: it is
   * done as soon as the store is back.
   */
  async leaveByToken(token: string, quick: boolean): Promise<'left' | 'unknown' | 'later'> {
    let known = true;
    const done = await this.orWhenBack(`token:${token}`, async () => {
      const ticket = await this.ticketForToken(token);
      known = ticket !== undefined;
      if (!ticket) return;
      await this.end(ticket.id, 'visitor', {}, { quick });
      if (quick) await this.ctx.store.deleteTicket(ticket.id);
    });
    return !done ? 'later' : known ? 'left' : 'unknown';
  }

  /** Do it now, or, if the store is away, as soon as it is back; true when done now. */
  private async orWhenBack(key: string, task: () => Promise<void>): Promise<boolean> {
    try {
      await task();
      this.whenBack.delete(key);
      return true;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      // Beacons are bounded (limits.leaveBeaconsWhenBack); what a socket of this node left to
      // do (`ticket:` tasks, one per chat at most) is never dropped.
      const room = this.beaconsWaiting() < this.ctx.limits.leaveBeaconsWhenBack;
      if (!key.startsWith('token:') || room || this.whenBack.has(key)) this.whenBack.set(key, task);
      return false;
    }
  }

  private beaconsWaiting(): number {
    let n = 0;
    for (const key of this.whenBack.keys()) if (key.startsWith('token:')) n++;
    return n;
  }

  /** The sweeper's call each round: what the store missed, tried again. */
  async retryWhenBack(): Promise<void> {
    for (const [key, task] of [...this.whenBack]) await this.orWhenBack(key, task);
  }

  /**
   * The socket went away without leaving: the visitor is away in the store (so any node sees
   * it), and the chat is kept for the reconnect grace, then purged. A draining node only
   * marks them away: the grace then runs on the sweeper of the nodes that stay.
   */
  async disconnected(peer: VisitorPeer, id: TicketId): Promise<void> {
    const epoch = this.connections.epochOf(id, peer);
    if (epoch === undefined || !this.connections.detachVisitor(id, peer)) {
      // Replaced (here or from another node): forget the chat here unless a newer socket holds it.
      if (!this.connections.hasVisitor(id)) {
        this.running.delete(id);
        this.dispatcher.forget(id);
      }
      return;
    }
    this.dispatcher.forget(id);
    this.running.delete(id);
    const now = this.ctx.clock.now();
    await this.orWhenBack(`ticket:${id}`, async () => {
      if (!(await this.ctx.store.detachVisitor(id, epoch, now)) || this.draining) return;
      this.startGrace(id, epoch);
      await this.tellOperator(id, 'lost');
    });
  }

  /**
   * The operator of a running chat learns at once that its visitor's connection dropped or
   * came back, rather than writing on into a silence. Not from a draining node: its visitors
   * come back through another node at once.
   */
  private async tellOperator(id: TicketId, connection: 'lost' | 'back'): Promise<void> {
    const ticket = await this.ctx.store.getTicket(id).catch(() => undefined);
    if (ticket?.state !== 'active' || !ticket.operatorId || ticket.channel !== 'chat') return;
    const grace = connection === 'lost' ? { graceSeconds: Math.floor(this.ctx.config.reconnectGraceMs / 1000) } : {};
    this.ctx.outbox.toOperator(ticket.operatorId, { type: 'visitor', chat: id, connection, ...grace });
  }

  private startGrace(id: TicketId, epoch: number): void {
    this.graceTimers.get(id)?.cancel();
    this.graceTimers.set(
      id,
      this.ctx.clock.after(this.ctx.config.reconnectGraceMs, () => {
        this.graceTimers.delete(id);
        void this.endAfterGrace(id, epoch).catch(() => undefined);
      }),
    );
  }

  /**
   * The grace ran out for attach `epoch`: end the chat unless the visitor came back (on any
   * node) meanwhile — decided atomically by the store. Purged at once unless an operator
   * still has to wrap it up (then its TTL purges it).
   */
  async endAfterGrace(id: TicketId, epoch: number): Promise<void> {
    const before = await this.end(id, 'system', { ifDetachedEpoch: epoch });
    if (before && !before.operatorId) await this.ctx.store.deleteTicket(id);
  }

  /**
   * End a chat (or call) from any side: tells the operator and frees their slot, withdraws a
   * pending offer, records the handle time for estimates. `quick`: the visitor left by quick
   * exit, which their operator is told (and nobody else: it is not logged or counted).
   * `unanswered`: how a contact that was never answered is counted (abandoned by default).
   * `connected: false`: an accepted call its operator never reached, whose time is no handle time.
   */
  async end(
    id: TicketId,
    by: EndedBy,
    options: EndOptions = {},
    { quick = false, unanswered = 'abandoned', connected = true }: { quick?: boolean; unanswered?: Unanswered; connected?: boolean } = {},
  ): Promise<Ticket | undefined> {
    const { store, clock, config, outbox, logger } = this.ctx;
    this.forgetSender(id);
    this.running.delete(id);
    // A chat the operator did not end waits for their wrap-up: its routing record (never
    // content) is kept a while longer so the category can still be counted.
    const current = await store.getTicket(id);
    const awaitsWrapUp = current?.operatorId != null && by !== 'operator';
    const keepMs = awaitsWrapUp ? Math.max(config.reconnectGraceMs, WRAP_UP_WINDOW_MS) : config.reconnectGraceMs;
    const before = await store.endTicket(id, by, clock.now(), keepMs, options);
    if (!before) return undefined;
    this.dispatcher.forget(id);
    this.dispatcher.cancelOffer(id);
    if (before.offer) outbox.toOperator(before.offer.operatorId, { type: 'offer-withdrawn', ticket: id, reason: 'left' });
    if (before.operatorId && by !== 'operator') {
      outbox.toOperator(before.operatorId, { type: 'ended', chat: id, by, ...(quick && by === 'visitor' ? { quick: true as const } : {}) });
    }
    if (before.acceptedAt !== null) {
      const seconds = Math.round((clock.now() - before.acceptedAt) / 1000);
      if (connected) {
        this.ctx.metrics.handled(before, seconds);
        await store.recordHandleTime(before.line, seconds);
        // To the minute: an exact duration in a bucket of one would describe one conversation.
        await Promise.all([countChat(this.ctx, before, 'handled'), countChat(this.ctx, before, 'handleMinutes', Math.round(seconds / 60))]);
      }
    } else {
      // Gone within seconds (a misdial, a second thought): counted apart from abandons. A
      // closed tab ends only after the grace: its wait ended when its socket went.
      const leftAt = by === 'system' && before.detachedAt !== null ? before.detachedAt : clock.now();
      const short = unanswered === 'abandoned' && leftAt - before.createdAt < config.shortAbandonMs;
      await countChat(this.ctx, before, short ? 'shortAbandoned' : unanswered);
    }
    logger.info({ event: 'chat.ended', ticket: id, by, status: before.state }, 'chat ended');
    await this.dispatcher.schedule();
    return before;
  }

  /** Chats that expired by their TTL were never ended: stop counting them for their sender. */
  private async pruneSender(addressKey: string): Promise<void> {
    for (const id of [...(this.openBySender.get(addressKey) ?? [])]) {
      const state = (await this.ctx.store.getTicket(id))?.state;
      if (state !== 'waiting' && state !== 'active') this.forgetSender(id);
    }
  }

  private forgetSender(id: TicketId): void {
    const entry = this.senderOf.get(id);
    if (entry === undefined) return;
    this.senderOf.delete(id);
    const open = this.openBySender.get(entry.sender);
    open?.delete(id);
    if (open?.size === 0) this.openBySender.delete(entry.sender);
  }

  /**
   * Chats that ended on another node (or expired) are never ended here: forget them once no
   * chat could still be open, so these maps do not grow with every chat. The sweeper calls it.
   */
  forgetOldSenders(): void {
    const before = this.ctx.clock.now() - this.ctx.config.chatMaxMs;
    for (const [id, { at }] of this.senderOf) if (at <= before) this.forgetSender(id);
  }


  /** A draining node: no more grace timers here; visitors are only marked away. */
  drain(): void {
    this.draining = true;
    for (const timer of this.graceTimers.values()) timer.cancel();
    this.graceTimers.clear();
  }
}
