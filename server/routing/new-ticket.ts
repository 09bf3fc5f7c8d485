import type { TicketId } from '../../protocol/ids.js';
import { PHONE_NETWORK, type Ticket } from './types.js';

export type TicketRequest = Pick<Ticket, 'line' | 'language' | 'topic' | 'visitorKey' | 'tokenHash'>;

/**
 * A fresh waiting chat ticket: nobody offered, nobody assigned. `node` is the node that holds
 * the visitor's socket (attach epoch 1); null for a ticket made without one (tests).
 */
export function newTicket(id: TicketId, request: TicketRequest, createdAt: number, node: string | null = null): Ticket {
  return {
    id,
    channel: 'chat',
    ...request,
    createdAt,
    state: 'waiting',
    offer: null,
    triedBy: [],
    operatorId: null,
    operatorKey: null,
    operatorProof: null,
    operatorName: null,
    acceptedAt: null,
    endedBy: null,
    endedAt: null,
    visitorNode: node,
    visitorEpoch: node === null ? 0 : 1,
    detachedAt: node === null ? createdAt : null,
  };
}

/**
 * A fresh waiting call ticket: no keys (a call is not end-to-end encrypted by us; see
 * docs/voice.md), held by the phone network rather than a node, so no node's death or
 * grace ends it: the call's own webhooks do.
 */
export function newCallTicket(id: TicketId, route: Pick<Ticket, 'line' | 'language' | 'topic'>, createdAt: number): Ticket {
  return { ...newTicket(id, { ...route, visitorKey: '', tokenHash: '' }, createdAt, PHONE_NETWORK), channel: 'call' };
}
