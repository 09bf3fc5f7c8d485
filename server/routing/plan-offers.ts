import type { OperatorId, TicketId } from '../../protocol/ids.js';
import { DEFAULT_CALL_CAPACITY_RULE, fits, type CallCapacityRule, type Load } from './call-capacity.js';
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
 * available operators with room for it (a free place, and what `callRule` allows beside or
 * instead of a call): not yet tried for this ticket first, then most spare capacity, then
 * longest idle. An operator who already let it pass is tried again only when nobody else
 * can take it, so no ticket is stranded.
 */
export function planOffers(
  tickets: readonly RoutingTicket[],
  operators: readonly OperatorPresence[],
  now: number,
  callRule: CallCapacityRule = DEFAULT_CALL_CAPACITY_RULE,
): PlannedOffer[] {
  // Each available operator's load: what they hold, plus live offers (which hold places too,
  // counted per operator in one pass, not per operator).
  const loads = new Map<OperatorId, Load>();
  for (const op of operators) {
    if (op.status === 'available') loads.set(op.id, { taken: op.active.length, capacity: op.capacity, onCall: op.call !== null });
  }
  for (const t of tickets) {
    const load = t.state === 'waiting' && hasLiveOffer(t, now) ? loads.get(t.offer!.operatorId) : undefined;
    if (!load) continue;
    load.taken++;
    if (t.channel === 'call') load.onCall = true;
  }
  const spare = (op: OperatorPresence) => loads.get(op.id)!.capacity - loads.get(op.id)!.taken;
  // Only operators with a free place are ever candidates; one whose places are used up leaves.
  let open = operators.filter((op) => loads.has(op.id) && spare(op) > 0);
  const waiting = tickets.filter((t) => t.state === 'waiting' && !hasLiveOffer(t, now)).sort(byAge);
  const planned: PlannedOffer[] = [];
  for (const ticket of waiting) {
    if (open.length === 0) break;
    const candidates = open.filter((op) => handles(op, ticket) && fits(loads.get(op.id)!, ticket.channel, callRule));
    if (candidates.length === 0) continue;
    candidates.sort(
      (a, b) =>
        Number(ticket.triedBy.includes(a.id)) - Number(ticket.triedBy.includes(b.id)) ||
        spare(b) - spare(a) ||
        a.idleSince - b.idleSince ||
        (a.id < b.id ? -1 : 1),
    );
    const chosen = candidates[0]!;
    const load = loads.get(chosen.id)!;
    load.taken++;
    if (ticket.channel === 'call') load.onCall = true;
    if (load.taken >= load.capacity) open = open.filter((op) => op !== chosen);
    planned.push({ ticketId: ticket.id, operatorId: chosen.id });
  }
  return planned;
}
