import type { ServerToOperator } from '../../protocol/operator-messages.js';
import type { ServerToVisitor } from '../../protocol/visitor-messages.js';
import type { Ticket } from '../routing/types.js';

/** The messages built from a ticket, one place each, for first sends and resends alike. */
export function assignedMessage(t: Ticket): Extract<ServerToOperator, { type: 'assigned' }> {
  return {
    type: 'assigned',
    chat: t.id,
    channel: t.channel,
    line: t.line,
    language: t.language,
    topic: t.topic,
    ...(t.channel === 'chat' ? { key: t.visitorKey } : {}),
    waited: Math.floor(((t.acceptedAt ?? t.createdAt) - t.createdAt) / 1000),
  };
}

/** What a visitor needs to trust and reach the operator who took their chat. */
export function connectedMessage(t: Ticket): Extract<ServerToVisitor, { type: 'connected' }> {
  return {
    type: 'connected',
    key: t.operatorKey ?? '',
    operator: t.operatorName ?? '',
    ...(t.operatorProof ? { proof: t.operatorProof } : {}),
  };
}
