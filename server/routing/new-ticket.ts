import type { TicketId } from '../../protocol/ids.js';
import type { Ticket } from './types.js';

export type TicketRequest = Pick<Ticket, 'line' | 'language' | 'topic' | 'visitorKey' | 'tokenHash'>;

/** A fresh waiting chat ticket: nobody offered, nobody assigned. */
export function newTicket(id: TicketId, request: TicketRequest, createdAt: number): Ticket {
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
  };
}
