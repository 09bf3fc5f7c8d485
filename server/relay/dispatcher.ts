import type { TicketId } from '../../protocol/ids.js';
import type { TimerHandle } from '../clock.js';
import { hasLiveOffer } from '../routing/eligibility.js';
import { planOffers } from '../routing/plan-offers.js';
import type { OperatorPresence, Ticket } from '../routing/types.js';
import { estimateWaitSeconds } from '../routing/wait-estimate.js';
import { errorFields } from '../logging.js';
import type { RelayContext } from './relay-context.js';
import type { LocalConnections } from './connections.js';

/** How often queue positions and estimates are refreshed even when nothing else happens. */
const REFRESH_EVERY_MS = 15_000;

/**
 * How many of each line × language × topic queue's oldest tickets a routing run looks at.
 * Far more than the operators who could take one at once, so nobody is passed over, and
 * bounded, so a run costs the same with ten thousand people waiting as with ten.
 */
export const ROUTING_HEAD_PER_QUEUE = 100;

/**
 * How much of each queue's head this run needs: no run makes more offers than there are
 * free slots, so a few times that (some at the head are offered already, or their visitor
 * is away) is plenty; the rest wait for the next run.
 */
export function routingHeadSize(operators: readonly OperatorPresence[]): number {
  const free = operators
    .filter((op) => op.status === 'available')
    .reduce((sum, op) => sum + Math.max(0, op.capacity - op.active.length), 0);
  return Math.min(ROUTING_HEAD_PER_QUEUE, 2 * free + 5);
}

type Route = Pick<Ticket, 'line' | 'language' | 'topic'>;

/**
 * Telling positions costs a read per waiting visitor on this node. With few, they are told
 * after every run; with many, at most once a second (a queue that long moves slower).
 */
const TELL_AT_ONCE_UP_TO = 50;
const TELL_MANY_EVERY_MS = 1_000;

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
  /** The waiting visitors whose sockets are on this node, and their queue: told positions. */
  private readonly waitingHere = new Map<TicketId, Route>();
  private refresher: TimerHandle | null = null;
  private lastTold = -Infinity;
  private tellLater: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: RelayContext,
    private readonly connections: LocalConnections,
  ) {}

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
    this.tellLater?.cancel();
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

  /** A visitor waiting with their socket on this node: keep telling them where they stand. */
  watch(ticket: Ticket): void {
    this.told.delete(ticket.id);
    this.waitingHere.set(ticket.id, { line: ticket.line, language: ticket.language, topic: ticket.topic });
  }

  /** Their socket left this node, or they stopped waiting. */
  forget(ticketId: TicketId): void {
    this.told.delete(ticketId);
    this.waitingHere.delete(ticketId);
  }

  cancelOffer(ticketId: TicketId): void {
    this.offerTimers.get(ticketId)?.cancel();
    this.offerTimers.delete(ticketId);
  }

  /** Where a new ticket stands now, for the first `queued` reply; watched from then on. */
  async standing(ticket: Ticket): Promise<{ position: number; estimate: number | null }> {
    this.watch(ticket);
    const [positions, operators] = await Promise.all([this.ctx.store.queuePositions([ticket]), this.ctx.store.listPresence()]);
    const position = positions.get(ticket.id) ?? 1;
    const estimate = estimateWaitSeconds(position, ticket, operators, await this.ctx.store.recentHandleTimes(ticket.line));
    // The caller tells the visitor this; later runs send only changes from it.
    this.told.set(ticket.id, `${position}/${estimate}`);
    return { position, estimate };
  }

  private async run(): Promise<void> {
    const { store, clock, config, outbox } = this.ctx;
    const now = clock.now();
    const operators = await store.listPresence();
    const tickets = await store.waitingTickets(routingHeadSize(operators));
    // A visitor whose connection dropped is not offered until they are back: an operator
    // would otherwise take a chat with nobody there (a widget that asked twice leaves one).
    const offerable = tickets.filter((t) => hasLiveOffer(t, now) || t.visitorNode !== null);
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
        clock.after(config.offerTimeoutMs, () => void this.expireOffer(ticket.id, plan.operatorId)),
      );
      this.ctx.logger.info({ event: 'offer.made', ticket: ticket.id, operator: plan.operatorId }, 'offer made');
    }
    const wait = this.lastTold + TELL_MANY_EVERY_MS - now;
    if (this.waitingHere.size <= TELL_AT_ONCE_UP_TO || wait <= 0) {
      this.lastTold = now;
      await this.tellPositions(operators);
    } else {
      this.tellLater ??= clock.after(wait, () => {
        this.tellLater = null;
        void this.schedule();
      });
    }
  }

  /** The offer ran out unanswered (this node's timer, or any node's sweeper): pass it on. */
  async expireOffer(ticketId: TicketId, operatorId: string): Promise<void> {
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

  /** Tell this node's waiting visitors where they stand, when that changed. */
  private async tellPositions(operators: OperatorPresence[]): Promise<void> {
    const ids = [...this.waitingHere.keys()];
    if (ids.length === 0) return;
    const positions = await this.ctx.store.queuePositions([...this.waitingHere].map(([id, route]) => ({ id, ...route })));
    const samplesByLine = new Map<string, number[]>();
    for (const id of ids) {
      const route = this.waitingHere.get(id);
      const position = positions.get(id);
      if (!route) continue;
      if (position === undefined) {
        this.forget(id); // no longer waiting
        continue;
      }
      let samples = samplesByLine.get(route.line);
      if (!samples) {
        samples = await this.ctx.store.recentHandleTimes(route.line);
        samplesByLine.set(route.line, samples);
      }
      const estimate = estimateWaitSeconds(position, route, operators, samples);
      const summary = `${position}/${estimate}`;
      if (this.told.get(id) === summary) continue;
      this.told.set(id, summary);
      void this.connections.toLocalVisitor(id, { type: 'position', position, estimate });
    }
  }
}
