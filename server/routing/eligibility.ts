import type { OperatorPresence, RoutingTicket } from './types.js';

/** An operator may take a ticket only when line, language and topic all match. */
export function handles(operator: OperatorPresence, ticket: Pick<RoutingTicket, 'line' | 'language' | 'topic'>): boolean {
  return (
    operator.lines.includes(ticket.line) &&
    operator.languages.includes(ticket.language) &&
    operator.topics.includes(ticket.topic)
  );
}

export function hasLiveOffer(ticket: Pick<RoutingTicket, 'offer'>, now: number): boolean {
  return ticket.offer !== null && ticket.offer.expiresAt > now;
}
