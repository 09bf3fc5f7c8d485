import type { OperatorId, TicketId } from '../../protocol/ids.js';
import type { ServerToOperator } from '../../protocol/operator-messages.js';
import type { ServerToVisitor } from '../../protocol/visitor-messages.js';
import type { Peer } from './wire.js';

/**
 * Where messages for a visitor or an operator go. On one node that is this process's
 * sockets; with many nodes (Redis) the same calls will cross to the node holding the socket.
 */
export interface Outbox {
  toVisitor(ticketId: TicketId, message: ServerToVisitor): void;
  toOperator(operatorId: OperatorId, message: ServerToOperator): void;
  visitorConnected(ticketId: TicketId): boolean;
  operatorConnected(operatorId: OperatorId): boolean;
}

export type VisitorPeer = Peer<ServerToVisitor>;
export type OperatorPeer = Peer<ServerToOperator>;

/** This node's live sockets: at most one per visitor ticket, any number per operator. */
export class LocalConnections implements Outbox {
  private readonly visitors = new Map<TicketId, VisitorPeer>();
  private readonly operators = new Map<OperatorId, Set<OperatorPeer>>();

  /** Attach a visitor socket to its ticket; returns the socket it replaces, if any. */
  attachVisitor(ticketId: TicketId, peer: VisitorPeer): VisitorPeer | undefined {
    const previous = this.visitors.get(ticketId);
    this.visitors.set(ticketId, peer);
    return previous === peer ? undefined : previous;
  }

  detachVisitor(ticketId: TicketId, peer: VisitorPeer): boolean {
    if (this.visitors.get(ticketId) !== peer) return false;
    this.visitors.delete(ticketId);
    return true;
  }

  attachOperator(operatorId: OperatorId, peer: OperatorPeer): void {
    const set = this.operators.get(operatorId) ?? new Set();
    set.add(peer);
    this.operators.set(operatorId, set);
  }

  /** Returns true when that was the operator's last socket on this node. */
  detachOperator(operatorId: OperatorId, peer: OperatorPeer): boolean {
    const set = this.operators.get(operatorId);
    if (!set) return true;
    set.delete(peer);
    if (set.size > 0) return false;
    this.operators.delete(operatorId);
    return true;
  }

  toVisitor(ticketId: TicketId, message: ServerToVisitor): void {
    this.visitors.get(ticketId)?.send(message);
  }

  toOperator(operatorId: OperatorId, message: ServerToOperator): void {
    for (const peer of this.operators.get(operatorId) ?? []) peer.send(message);
  }

  visitorConnected(ticketId: TicketId): boolean {
    return this.visitors.get(ticketId)?.open ?? false;
  }

  operatorConnected(operatorId: OperatorId): boolean {
    return [...(this.operators.get(operatorId) ?? [])].some((p) => p.open);
  }
}
