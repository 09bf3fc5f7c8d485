import type { TicketId } from '../../protocol/ids.js';
import type { TimerHandle } from '../clock.js';
import { hasLiveOffer } from '../routing/eligibility.js';
import { planOffers } from '../routing/plan-offers.js';
import { queuePositions } from '../routing/queue-position.js';
import type { OperatorPresence, Ticket } from '../routing/types.js';
import { estimateWaitSeconds } from '../routing/wait-estimate.js';
import { errorFields } from '../logging.js';
import type { RelayContext } from './relay-context.js';

/** How often queue positions and estimates are refreshed even when nothing else happens. */
const REFRESH_EVERY_MS = 15_000;

/**
 * Turns routing decisions into offers and queue feedback. Runs are serialised and coalesced:
 * any number of triggers while a run is in progress cause exactly one more run, so two runs
 * never offer the same ticket from stale reads.
 */
export class Dispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly offerTimers = new Map<TicketId, TimerHandle>();
  /** Last position/estimate told to each visitor, so only changes are sent. */
  private readonly told = new Map<TicketId, string>();
  private refresher: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly ctx: RelayContext) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      void this.schedule();
      this.refresher = this.ctx.clock.after(REFRESH_EVERY_MS, tick);
    };
    this.refresher = this.ctx.clock.after(REFRESH_EVERY_MS, tick);
  }

  stop(): void {
    this.stopped = true;
    this.refresher?.cancel();
    for (const timer of this.offerTimers.values()) timer.cancel();
    this.offerTimers.clear();
  }

  /** Ask for a run; resolves when a run that started after this call has finished. */
  schedule(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.run();
        } catch (error) {
          this.ctx.logger.error({ event: 'dispatch.failed', ...errorFields(error) }, 'dispatch failed');
        }
      } while (this.again && !this.stopped);
      this.running = null;
    })();
    return this.running;
  }

  /** The visitor must hear its position again (it reconnected). */
  forget(ticketId: TicketId): void {
    this.told.delete(ticketId);
  }

  cancelOffer(ticketId: TicketId): void {
    this.offerTimers.get(ticketId)?.cancel();
    this.offerTimers.delete(ticketId);
  }

  /** Where a waiting ticket stands now, for the first `queued` reply. */
  async standing(ticketId: TicketId): Promise<{ position: number; estimate: number | null }> {
    const [tickets, operators] = await Promise.all([this.ctx.store.listTickets(), this.ctx.store.listPresence()]);
    const position = queuePositions(tickets).get(ticketId) ?? 1;
    const ticket = tickets.find((t) => t.id === ticketId);
    const estimate = ticket ? await this.estimate(ticket, position, operators) : null;
    // The caller tells the visitor this; later runs send only changes from it.
    this.told.set(ticketId, `${position}/${estimate}`);
    return { position, estimate };
  }

  private async run(): Promise<void> {
    const { store, clock, config, outbox } = this.ctx;
    const now = clock.now();
    const [tickets, operators] = await Promise.all([store.listTickets(), store.listPresence()]);
    // A visitor whose connection dropped is not offered until they are back: an operator
    // would otherwise take a chat with nobody there (a widget that asked twice leaves one).
    const offerable = tickets.filter((t) => t.state !== 'waiting' || hasLiveOffer(t, now) || outbox.visitorConnected(t.id));
    for (const plan of planOffers(offerable, operators, now)) {
      const expiresAt = now + config.offerTimeoutMs;
      if (!(await store.offerTicket(plan.ticketId, { operatorId: plan.operatorId, expiresAt }, now))) continue;
      const ticket = tickets.find((t) => t.id === plan.ticketId)!;
      outbox.toOperator(plan.operatorId, {
        type: 'offer',
        ticket: ticket.id,
        line: ticket.line,
        language: ticket.language,
        topic: ticket.topic,
        waited: Math.floor((now - ticket.createdAt) / 1000),
        expiresIn: Math.floor(config.offerTimeoutMs / 1000),
      });
      this.cancelOffer(ticket.id);
      this.offerTimers.set(
        ticket.id,
        clock.after(config.offerTimeoutMs, () => void this.expire(ticket.id, plan.operatorId)),
      );
      this.ctx.logger.info({ event: 'offer.made', ticket: ticket.id, operator: plan.operatorId }, 'offer made');
    }
    await this.tellPositions(tickets, operators);
  }

  private async expire(ticketId: TicketId, operatorId: string): Promise<void> {
    this.offerTimers.delete(ticketId);
    try {
      if (await this.ctx.store.withdrawOffer(ticketId, operatorId)) {
        this.ctx.outbox.toOperator(operatorId, { type: 'offer-withdrawn', ticket: ticketId, reason: 'expired' });
        this.ctx.logger.info({ event: 'offer.expired', ticket: ticketId, operator: operatorId }, 'offer expired');
      }
    } catch (error) {
      this.ctx.logger.error({ event: 'offer.expire-failed', ticket: ticketId, ...errorFields(error) }, 'offer expiry failed');
    }
    await this.schedule();
  }

  private async tellPositions(tickets: Ticket[], operators: OperatorPresence[]): Promise<void> {
    const positions = queuePositions(tickets);
    for (const id of this.told.keys()) if (!positions.has(id)) this.told.delete(id);
    const samplesByLine = new Map<string, number[]>();
    for (const ticket of tickets) {
      const position = positions.get(ticket.id);
      if (position === undefined || !this.ctx.outbox.visitorConnected(ticket.id)) continue;
      let samples = samplesByLine.get(ticket.line);
      if (!samples) {
        samples = await this.ctx.store.recentHandleTimes(ticket.line);
        samplesByLine.set(ticket.line, samples);
      }
      const estimate = estimateWaitSeconds(position, ticket, operators, samples);
      const summary = `${position}/${estimate}`;
      if (this.told.get(ticket.id) === summary) continue;
      this.told.set(ticket.id, summary);
      this.ctx.outbox.toVisitor(ticket.id, { type: 'position', position, estimate });
    }
  }

  private async estimate(ticket: Ticket, position: number, operators: OperatorPresence[]): Promise<number | null> {
    const samples = await this.ctx.store.recentHandleTimes(ticket.line);
    return estimateWaitSeconds(position, ticket, operators, samples);
  }
}
