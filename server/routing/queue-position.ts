import type { TicketId } from '../../protocol/ids.js';
import { byAge } from './plan-offers.js';
import type { RoutingTicket } from './types.js';

/**
 * Each waiting ticket's place in its queue (line × language), 1 = next. An offer in flight
 * still counts as waiting: the visitor has not been answered yet.
 */
export function queuePositions(tickets: readonly RoutingTicket[]): Map<TicketId, number> {
  const positions = new Map<TicketId, number>();
  const counts = new Map<string, number>();
  for (const t of tickets.filter((t) => t.state === 'waiting').sort(byAge)) {
    const queue = `${t.line}\u0000${t.language}`;
    const n = (counts.get(queue) ?? 0) + 1;
    counts.set(queue, n);
    positions.set(t.id, n);
  }
  return positions;
}
