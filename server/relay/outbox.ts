import type { OperatorId, TicketId } from '../../protocol/ids.js';
import type { ServerToOperator } from '../../protocol/operator-messages.js';
import type { ServerToVisitor } from '../../protocol/visitor-messages.js';
import { channels, type Bus } from '../bus/bus.js';
import { errorFields, type Logger } from '../logging.js';
import type { Peer } from './wire.js';

/**
 * Where messages for a visitor or an operator go: onto the bus, to whichever node holds their
 * socket (this one included). Fire and forget: everything that must not be lost is in the
 * store before it is published, and the receiving side catches up from there.
 */
export interface Outbox {
  toVisitor(ticketId: TicketId, message: ServerToVisitor | ReplacedSignal): void;
  toOperator(operatorId: OperatorId, message: ServerToOperator): void;
}

export type VisitorPeer = Peer<ServerToVisitor>;
export type OperatorPeer = Peer<ServerToOperator>;

/** Sent on a visitor's channel when they attach elsewhere: older sockets close as replaced. */
export interface ReplacedSignal {
  type: 'replaced';
  epoch: number;
}

export class BusOutbox implements Outbox {
  constructor(
    private readonly bus: Bus,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  toVisitor(ticketId: TicketId, message: ServerToVisitor | ReplacedSignal): void {
    this.publish(channels.visitor(this.prefix, ticketId), message, ticketId);
  }

  toOperator(operatorId: OperatorId, message: ServerToOperator): void {
    this.publish(channels.operator(this.prefix, operatorId), message);
  }

  private publish(channel: string, message: object, ticket?: string): void {
    this.bus.publish(channel, message).catch((error: unknown) => {
      // Lost on the bus only: the receiver catches up from the store (Deliveries.resync).
      this.logger.warn({ event: 'bus.publish-failed', ticket, ...errorFields(error) }, 'bus publish failed');
    });
  }
}
