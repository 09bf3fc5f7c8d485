import type { OperatorId, TicketId } from '../../protocol/ids.js';
import { handles, hasLiveOffer } from './eligibility.js';
import type { OperatorPresence, RoutingTicket } from './types.js';

export interface PlannedOffer {
  ticketId: TicketId;
  operatorId: OperatorId;
}

/**
 * Oldest first. Tickets created in the same millisecond keep the store's order, which is the
 * order they were created in (Array.prototype.sort is stable); random ids must not decide.
 */
export function byAge(a: Pick<RoutingTicket, 'createdAt'>, b: Pick<RoutingTicket, 'createdAt'>): number {
  return a.createdAt - b.createdAt;
}

/**
 * Decide which waiting tickets to offer to whom, now. Oldest ticket first; among eligible
 * available operators with a free slot: not yet tried for this ticket first, then most spare
 * capacity, then longest idle. An operator who already let it pass is tried again only when
 * nobody else can take it, so no ticket is stranded.
 */
export function planOffers(tickets: readonly RoutingTicket[], operators: readonly OperatorPresence[], now: number): PlannedOffer[] {
  // Live offers hold slots: count them per operator in one pass (not per operator).
  const offered = new Map<OperatorId, number>();
  for (const t of tickets) {
    if (t.state === 'waiting' && hasLiveOffer(t, now)) offered.set(t.offer!.operatorId, (offered.get(t.offer!.operatorId) ?? 0) + 1);
  }
  const spare = new Map<OperatorId, number>();
  for (const op of operators) {
    if (op.status !== 'available') continue;
    const free = op.capacity - op.active.length - (offered.get(op.id) ?? 0);
    if (free > 0) spare.set(op.id, free);
  }
  // Only operators with a free slot are ever candidates; one whose slots are used up leaves.
  let open = operators.filter((op) => spare.has(op.id));
  const waiting = tickets.filter((t) => t.state === 'waiting' && !hasLiveOffer(t, now)).sort(byAge);
  const planned: PlannedOffer[] = [];
  for (const ticket of waiting) {
    if (open.length === 0) break;
    const candidates = open.filter((op) => handles(op, ticket));
    if (candidates.length === 0) continue;
    candidates.sort(
      (a, b) =>
        Number(ticket.triedBy.includes(a.id)) - Number(ticket.triedBy.includes(b.id)) ||
        spare.get(b.id)! - spare.get(a.id)! ||
        a.idleSince - b.idleSince ||
        (a.id < b.id ? -1 : 1),
    );
    const chosen = candidates[0]!;
    const left = spare.get(chosen.id)! - 1;
    spare.set(chosen.id, left);
    if (left === 0) open = open.filter((op) => op !== chosen);
    planned.push({ ticketId: ticket.id, operatorId: chosen.id });
  }
  return planned;
}
