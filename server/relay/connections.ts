import type { OperatorId, TicketId } from '../../protocol/ids.js';
import type { ServerToOperator } from '../../protocol/operator-messages.js';
import type { ServerToVisitor, serviceSchema } from '../../protocol/visitor-messages.js';
import type * as z from 'zod/mini';
import { channels, type Bus } from '../bus/bus.js';
import { errorFields, type Logger } from '../logging.js';
import type { SealedMessage, Sender, Store } from '../store/store.js';
import type { OperatorPeer, ReplacedSignal, VisitorPeer } from './outbox.js';
import { connectedMessage } from './chat-messages.js';

type ServiceMessage = z.infer<typeof serviceSchema>;

const DONE: Promise<void> = Promise.resolve();

/**
 * Runs tasks one after another, so what one socket is sent keeps its order. A task that
 * finds the queue idle runs at once, and one that does not wait (the usual message) costs no
 * promise: this is on the path of every message.
 */
class SerialQueue {
  private tail: Promise<void> = DONE;
  private waiting = 0;

  run(task: () => void | Promise<void>): Promise<void> {
    if (this.waiting === 0) {
      let result: void | Promise<void>;
      try {
        result = task();
      } catch (error) {
        return Promise.reject(error);
      }
      return result instanceof Promise ? this.hold(result) : DONE;
    }
    return this.hold(this.tail.then(task));
  }

  private hold(work: Promise<void>): Promise<void> {
    this.waiting++;
    const settled = work.finally(() => this.waiting--);
    this.tail = settled.catch(() => undefined);
    return settled;
  }
}

interface VisitorLink {
  peer: VisitorPeer;
  /** Whether this socket was sent the operator's key (`connected`): messages need it first. */
  connected: boolean;
  /** The store's attach epoch for this socket: a newer attach anywhere replaces it. */
  epoch: number;
  /** The last operator message (seq) this socket was sent. */
  cursor: number;
  queue: SerialQueue;
}

interface OperatorLink {
  peer: OperatorPeer;
  /** Per chat, the last visitor message (seq) this console was sent. */
  cursors: Map<TicketId, number>;
  queue: SerialQueue;
}

/**
 * This node's live sockets, and exactly-once, in-order delivery to them. Messages arrive from
 * the bus (from this node or another); the bus may lose or repeat one (a node dies between
 * storing and publishing, Redis fails over), so each socket keeps a cursor per chat: an old
 * sequence number is dropped, and a gap is filled from the store before the message that
 * revealed it. Everything for one socket goes through one queue, so a replay on resume and
 * live messages never interleave.
 */
export class LocalConnections {
  private readonly visitors = new Map<TicketId, VisitorLink>();
  private readonly operators = new Map<OperatorId, Map<OperatorPeer, OperatorLink>>();
  private readonly operatorListeners: Array<(operator: OperatorId, message: ServerToOperator) => Promise<void> | void> = [];
  /** What those listeners started and has not finished (see effectsSettled). */
  private readonly effects = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  // ---- visitors ------------------------------------------------------------------------

  /**
   * Hold the visitor's socket here from `cursor` (the last operator message it has). Subscribes
   * this node to the visitor's channel first, so nothing published from now on is missed.
   * Returns the socket on this node it replaces, if any.
   */
  async attachVisitor(id: TicketId, peer: VisitorPeer, epoch: number, cursor: number, opening?: Promise<void>): Promise<VisitorPeer | undefined> {
    const previous = this.visitors.get(id);
    if (!previous) await this.bus.subscribe(channels.visitor(this.prefix, id), (raw) => this.fromBusToVisitor(id, raw));
    const link: VisitorLink = { peer, epoch, cursor, connected: false, queue: new SerialQueue() };
    this.visitors.set(id, link);
    // A resume sends `resumed` and `connected` itself first: nothing may overtake them.
    if (opening) void link.queue.run(() => opening);
    return previous && previous.peer !== peer ? previous.peer : undefined;
  }

  /** The socket was sent the operator's key by its owner (a resume). */
  markConnected(id: TicketId, peer: VisitorPeer): void {
    const link = this.visitors.get(id);
    if (link?.peer === peer) link.connected = true;
  }

  hasVisitor(id: TicketId): boolean {
    return this.visitors.has(id);
  }

  /** False when `peer` is no longer this visitor's socket here (replaced, or never was). */
  detachVisitor(id: TicketId, peer: VisitorPeer): boolean {
    if (this.visitors.get(id)?.peer !== peer) return false;
    this.visitors.delete(id);
    this.bus.unsubscribe(channels.visitor(this.prefix, id)).catch(() => undefined);
    return true;
  }

  epochOf(id: TicketId, peer: VisitorPeer): number | undefined {
    const link = this.visitors.get(id);
    return link?.peer === peer ? link.epoch : undefined;
  }

  /** Send in order with everything else this socket is sent (the bus's messages included). */
  toLocalVisitor(id: TicketId, message: ServerToVisitor): Promise<void> {
    const link = this.visitors.get(id);
    return link ? link.queue.run(() => link.peer.send(message)) : Promise.resolve();
  }

  /** Send whatever the operator wrote after the socket's cursor (the catch-up on resume). */
  catchUpVisitor(id: TicketId): Promise<void> {
    const link = this.visitors.get(id);
    return link ? link.queue.run(() => this.fillVisitor(id, link)) : Promise.resolve();
  }

  localVisitors(): TicketId[] {
    return [...this.visitors.keys()];
  }

  // ---- operators -----------------------------------------------------------------------

  /** This node's open sockets: visitors (one per chat) and consoles. For /metrics. */
  counts(): { visitor: number; operator: number } {
    let operator = 0;
    for (const links of this.operators.values()) operator += links.size;
    return { visitor: this.visitors.size, operator };
  }

  /** Returns true when this is the operator's first console on this node. */
  async attachOperator(id: OperatorId, peer: OperatorPeer): Promise<boolean> {
    let links = this.operators.get(id);
    const first = !links;
    if (!links) {
      await this.bus.subscribe(channels.operator(this.prefix, id), (raw) => this.fromBusToOperator(id, raw));
      links = new Map();
      this.operators.set(id, links);
    }
    links.set(peer, { peer, cursors: new Map(), queue: new SerialQueue() });
    return first;
  }

  /** Returns true when that was the operator's last console on this node. */
  detachOperator(id: OperatorId, peer: OperatorPeer): boolean {
    const links = this.operators.get(id);
    if (!links?.delete(peer)) return false;
    if (links.size > 0) return false;
    this.operators.delete(id);
    this.bus.unsubscribe(channels.operator(this.prefix, id)).catch(() => undefined);
    return true;
  }

  /** Send one console a message in order with everything else it is sent. */
  toLocalOperator(operatorId: OperatorId, peer: OperatorPeer, message: ServerToOperator): Promise<void> {
    const link = this.operators.get(operatorId)?.get(peer);
    return link ? link.queue.run(() => peer.send(message)) : Promise.resolve();
  }

  /** Send one console, in order, a chat's `assigned` and every visitor message of it. */
  replayChat(operatorId: OperatorId, peer: OperatorPeer, chat: TicketId, assigned: ServerToOperator): Promise<void> {
    const link = this.operators.get(operatorId)?.get(peer);
    if (!link) return Promise.resolve();
    return link.queue.run(async () => {
      peer.send(assigned);
      link.cursors.set(chat, 0);
      await this.fillOperator(chat, link);
    });
  }

  hasOperator(id: OperatorId): boolean {
    return this.operators.has(id);
  }

  // ---- everyone ------------------------------------------------------------------------

  /** Every socket here, e.g. to tell them the service is degraded, or to close them. */
  peers(): (VisitorPeer | OperatorPeer)[] {
    const out: (VisitorPeer | OperatorPeer)[] = [...this.visitors.values()].map((l) => l.peer);
    for (const links of this.operators.values()) out.push(...links.keys());
    return out;
  }

  broadcast(message: ServiceMessage): void {
    for (const link of this.visitors.values()) void link.queue.run(() => link.peer.send(message));
    for (const links of this.operators.values()) for (const link of links.values()) void link.queue.run(() => link.peer.send(message));
  }

  /** After the store or bus was away: catch every socket up on what it may have missed. */
  async resync(): Promise<void> {
    const work: Promise<void>[] = [];
    for (const [id, link] of this.visitors) work.push(link.queue.run(() => this.fillVisitor(id, link)));
    for (const links of this.operators.values()) {
      for (const link of links.values()) {
        for (const chat of link.cursors.keys()) work.push(link.queue.run(() => this.fillOperator(chat, link)));
      }
    }
    await Promise.allSettled(work);
  }

  // ---- from the bus --------------------------------------------------------------------

  private fromBusToVisitor(id: TicketId, received: unknown): void {
    const link = this.visitors.get(id);
    if (!link) return;
    // Written by this deployment's own nodes (BusOutbox), so trusted to be well formed.
    const message = received as ServerToVisitor | ReplacedSignal;
    if (message.type === 'replaced') {
      // The visitor came back through another node: this socket is a stale one.
      if (message.epoch > link.epoch && this.detachVisitor(id, link.peer)) link.peer.close(4006, 'replaced');
      return;
    }
    void link.queue.run(() => {
      if (message.type === 'connected') link.connected = true;
      if (message.type !== 'msg') return link.peer.send(message);
      return this.deliver(message, link.cursor, () => this.fillVisitor(id, link), (m) => {
        link.peer.send({ type: 'msg', ...m });
        link.cursor = m.seq;
      });
    });
  }

  /** Be shown, once per message, what reaches an operator whose consoles are on this node. */
  onOperatorMessage(listener: (operator: OperatorId, message: ServerToOperator) => Promise<void> | void): void {
    this.operatorListeners.push(listener);
  }

  /** Once what the listeners started for messages delivered so far is done (errors ignored). */
  async effectsSettled(): Promise<void> {
    await Promise.allSettled([...this.effects]);
  }

  private fromBusToOperator(id: OperatorId, received: unknown): void {
    const message = received as ServerToOperator;
    if (this.operators.has(id)) {
      for (const listener of this.operatorListeners) {
        const effect = listener(id, message);
        if (!effect) continue;
        const tracked = effect.catch(() => undefined).finally(() => this.effects.delete(tracked));
        this.effects.add(tracked);
      }
    }
    for (const link of this.operators.get(id)?.values() ?? []) {
      void link.queue.run(() => {
        if (message.type === 'assigned' && !link.cursors.has(message.chat)) link.cursors.set(message.chat, 0);
        if (message.type === 'ended') link.cursors.delete(message.chat);
        if (message.type !== 'msg') return link.peer.send(message);
        const chat = message.chat;
        return this.deliver(message, link.cursors.get(chat) ?? 0, () => this.fillOperator(chat, link), (m) => {
          link.peer.send({ type: 'msg', chat, ...m });
          link.cursors.set(chat, m.seq);
        });
      });
    }
  }

  /**
   * Next in line: send it. Old: drop it. Ahead of a gap: fill the gap from the store (the
   * only case that waits).
   */
  private deliver(message: SealedMessage, cursor: number, fill: () => Promise<void>, send: (m: SealedMessage) => void): void | Promise<void> {
    if (message.seq <= cursor) return;
    if (message.seq === cursor + 1) return send({ seq: message.seq, data: message.data });
    return fill();
  }

  private async fillVisitor(id: TicketId, link: VisitorLink): Promise<void> {
    const missed = await this.missed(id, 'operator', link.cursor);
    if (missed.length > 0 && !link.connected && !(await this.sendKey(id, link))) return;
    for (const m of missed) {
      if (m.seq !== link.cursor + 1) break;
      link.peer.send({ type: 'msg', ...m });
      link.cursor = m.seq;
    }
  }

  private async fillOperator(chat: TicketId, link: OperatorLink): Promise<void> {
    for (const m of await this.missed(chat, 'visitor', link.cursors.get(chat) ?? 0)) {
      if (m.seq !== (link.cursors.get(chat) ?? 0) + 1) break;
      link.peer.send({ type: 'msg', chat, ...m });
      link.cursors.set(chat, m.seq);
    }
  }

  /**
   * The operator's key, if the socket never got it: the `connected` published at the accept
   * may have been lost with a node or a Redis failover, and the messages are unreadable
   * without it. False when it cannot be had now (try again at the next catch-up).
   */
  private async sendKey(id: TicketId, link: VisitorLink): Promise<boolean> {
    let ticket;
    try {
      ticket = await this.store.getTicket(id);
    } catch {
      return false;
    }
    if (ticket?.state !== 'active' || !ticket.operatorKey) return false;
    link.peer.send(connectedMessage(ticket));
    link.connected = true;
    return true;
  }

  private async missed(id: TicketId, from: Sender, after: number): Promise<SealedMessage[]> {
    try {
      return await this.store.messagesAfter(id, from, after);
    } catch (error) {
      // The store is away: resync() catches this socket up when it is back.
      this.logger.warn({ event: 'delivery.catch-up-failed', ticket: id, ...errorFields(error) }, 'catch-up failed');
      return [];
    }
  }
}
