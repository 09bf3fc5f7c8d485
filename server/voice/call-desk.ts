import { randomBytes } from 'node:crypto';
import type { LanguageCode, OperatorId, TicketId } from '../../protocol/ids.js';
import type { LineConfig } from '../config/lines-config.js';
import { errorFields } from '../logging.js';
import type { Dispatcher } from '../relay/dispatcher.js';
import { countChat, type RelayContext } from '../relay/relay-context.js';
import type { VisitorChats } from '../relay/visitor-chats.js';
import type { Route } from '../routing/availability.js';
import { isOpen } from '../routing/opening-hours.js';
import { newCallTicket } from '../routing/new-ticket.js';
import type { Ticket } from '../routing/types.js';
import type { Unanswered } from '../stats/aggregates.js';
import { countArrival } from '../stats/coverage.js';
import type { CallStates } from './call-state.js';

/** A call's ticket made again: from its first arrival, passed over by some, already counted. */
interface CreateOptions {
  createdAt?: number;
  triedBy?: OperatorId[];
  /** Already counted as requested (a requeue): not counted again. */
  counted?: boolean;
}

/** Why /voice/connect will not put an operator's device through to a call. */
export type ConnectVerdict = { ok: true; ticket: Ticket } | { ok: false; why: 'not-yours' | 'caller-gone'; ticket: Ticket | undefined };

/**
 * The routing side of phone calls: a call is a ticket like a chat, in the same queues and
 * under the same capacity rules, made and ended by the call's webhooks instead of a socket.
 * Every step reads and writes the store only, so any node can take any webhook.
 */
export class CallDesk {
  private readonly numbers = new Map<string, LineConfig>();

  constructor(
    private readonly ctx: RelayContext,
    private readonly visitors: VisitorChats,
    private readonly dispatcher: Dispatcher,
    readonly states: CallStates,
  ) {
    for (const line of ctx.config.lines.lines) for (const number of line.voice?.numbers ?? []) this.numbers.set(number, line);
  }

  /** The line a called number reaches; the number itself goes no further than this. */
  lineCalled(to: string | undefined): LineConfig | undefined {
    return to === undefined ? undefined : this.numbers.get(to);
  }

  isOpen(line: LineConfig): boolean {
    const schedule = { timezone: line.timezone, hours: line.hours, holidays: this.ctx.config.lines.holidays };
    return this.ctx.config.ignoreHours || isOpen(schedule, this.ctx.clock.now());
  }

  /**
   * The call waits as a ticket from now. Idempotent by CallSid: a webhook Twilio retries (on
   * this node or another) gets the ticket the first one made.
   */
  async enqueue(callSid: string, route: Route): Promise<TicketId> {
    const id = randomBytes(16).toString('base64url');
    const ticket = await this.states.claimCall(callSid, id, this.ctx.clock.now());
    if (ticket !== id) return ticket;
    try {
      await this.create(id, route);
    } catch (error) {
      // Unclaimed again, so Twilio's retry makes the ticket instead of waiting on this one.
      await this.states.forgetCall(callSid, id).catch(() => undefined);
      throw error;
    }
    return ticket;
  }

  private async create(id: TicketId, route: Route, { createdAt, triedBy = [], counted = false }: CreateOptions = {}): Promise<void> {
    const { store, clock, config, logger } = this.ctx;
    const ticket = { ...newCallTicket(id, route, createdAt ?? clock.now()), triedBy };
    await store.createTicket(ticket, config.chatMaxMs);
    await this.states.putWait(id, { seenAt: clock.now(), alternativesAt: null, bridged: false });
    logger.info({ event: 'ticket.created', ticket: id, line: ticket.line, mode: 'call' }, 'call ticket created');
    if (!counted) {
      await countChat(this.ctx, ticket, 'requested').catch((error: unknown) =>
        logger.warn({ event: 'count.failed', ticket: id, ...errorFields(error) }, 'not counted'),
      );
      const operators = await store.listPresence().catch(() => null);
      if (operators) await countArrival(this.ctx, ticket, operators);
    }
    void this.dispatcher.schedule();
  }

  /**
   * The caller chose another of the line's languages while waiting: the old ticket leaves its
   * queue (counted as moved), a new one waits in the chosen language's queue.
   */
  async move(callSid: string, from: Ticket, language: LanguageCode): Promise<TicketId> {
    await this.finish(from.id, 'moved');
    await this.states.forgetWait(from.id);
    // Requested again, in the new queue; the wait counts from the call's arrival.
    return this.again(callSid, { line: from.line, language, topic: from.topic }, { createdAt: from.createdAt });
  }

  /**
   * The call was accepted but its operator's device never connected to it: their console
   * is told the call was lost (they wrap it up), and the caller waits again for someone.
   */
  async requeue(callSid: string, from: Ticket): Promise<TicketId> {
    await this.visitors.end(from.id, 'system', {}, { connected: false });
    await this.states.forgetWait(from.id);
    this.ctx.logger.warn({ event: 'call.not-connected', ticket: from.id, operator: from.operatorId }, 'answered call never connected');
    // Someone else first: this operator's device is the one that did not come. The same
    // contact in the same queue: not requested again, and its wait counts from its arrival.
    return this.again(callSid, { line: from.line, language: from.language, topic: from.topic }, {
      createdAt: from.createdAt,
      triedBy: from.operatorId ? [from.operatorId] : [],
      counted: true,
    });
  }

  /** The same call as a new ticket, in the queue `route`. */
  private async again(callSid: string, route: Route, options: CreateOptions): Promise<TicketId> {
    const id = randomBytes(16).toString('base64url');
    await this.states.putCall(callSid, { ticket: id, since: this.ctx.clock.now(), leaving: null });
    await this.create(id, route, options);
    return id;
  }

  /** The call left its queue for the overflow number: counted as overflowed, and forgotten. */
  async overflowed(callSid: string, ticket: TicketId): Promise<void> {
    await this.finish(ticket, 'overflowed');
    await this.states.forgetCall(callSid, ticket);
  }

  /**
   * The call is over (the caller hung up, or Twilio could not keep it): a waiting call leaves
   * its queue at once and counts as abandoned; an answered one ends for its operator, who
   * wraps it up. Idempotent: the Enqueue action and the status callback both come here.
   */
  async callEnded(callSid: string): Promise<void> {
    const record = await this.states.call(callSid);
    if (!record) return;
    await this.finish(record.ticket, 'abandoned');
    await this.states.forgetCall(callSid, record.ticket);
  }

  /**
   * A waiting call whose wait URL Twilio stopped running (its hang-up webhooks never came):
   * the caller is gone, so it leaves the queue rather than be offered to an operator.
   */
  async lost(ticket: TicketId): Promise<void> {
    await this.visitors.end(ticket, 'system');
    await this.states.forgetWait(ticket);
    this.ctx.logger.warn({ event: 'call.lost', ticket }, 'waiting call lost');
  }

  /**
   * Out of its queue at once. A call nobody answered is kept ended for the reconnect grace
   * only (routing data, no numbers), so an operator accepting it just too late is told the
   * caller left rather than that someone else took it.
   */
  private async finish(id: TicketId, unanswered: Unanswered): Promise<void> {
    await this.visitors.end(id, 'visitor', {}, { unanswered });
  }

  /** Whether `operatorId`'s device may be put through to this call's queue now. */
  async connectable(ticketId: TicketId, operatorId: OperatorId): Promise<ConnectVerdict> {
    const ticket = await this.ctx.store.getTicket(ticketId);
    if (!ticket || ticket.channel !== 'call' || ticket.operatorId !== operatorId) return { ok: false, why: 'not-yours', ticket };
    if (ticket.state !== 'active') return { ok: false, why: 'caller-gone', ticket };
    return { ok: true, ticket };
  }
}
