import { newTicket } from '../../server/routing/new-ticket.js';
import type { OperatorPresence, Ticket } from '../../server/routing/types.js';

/** A waiting 1712 / nl / violence ticket, built the way the server builds one. */
export function waitingTicket(id: string, createdAt: number, overrides: Partial<Ticket> = {}): Ticket {
  const request = { line: '1712', language: 'nl', topic: 'violence', visitorKey: `visitor-key-${id}`, tokenHash: `token-hash-${id}` };
  return { ...newTicket(id, request, createdAt), ...overrides };
}

/** An available 1712 / nl / violence operator with nothing to do. */
export function presence(id: string, overrides: Partial<OperatorPresence> = {}): OperatorPresence {
  return {
    id,
    name: id,
    status: 'available',
    lines: ['1712'],
    languages: ['nl'],
    topics: ['violence'],
    capacity: 1,
    active: [],
    call: null,
    statusSince: 0,
    idleSince: 0,
    nodes: ['node-a'],
    disconnectedAt: null,
    ...overrides,
  };
}
