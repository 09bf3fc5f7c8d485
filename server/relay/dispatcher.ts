import type { TicketId } from '../../protocol/ids.js';
import type { TimerHandle } from '../clock.js';
import { hasLiveOffer } from '../routing/eligibility.js';
import { planOffers } from '../routing/plan-offers.js';
import type { OperatorPresence, Ticket } from '../routing/types.js';
import { routeKey, type Route } from '../routing/availability.js';
import { queueStaffing, standingOf, type QueueStaffing, type Standing } from '../routing/wait-estimate.js';

export type { Standing };
import { errorFields } from '../logging.js';
import { countMissedOffer, type RelayContext } from './relay-context.js';
import type { LocalConnections } from './connections.js';

/** How often queue positions and estimates are refreshed even when nothing else happens. */
const REFRESH_EVERY_MS = 15_000;

/**
 * How often a node with visitors waiting looks whether who is on duty for their queues
 * changed: an operator who went away, signed out or came on duty through another node (or
 * whose node died) is told to this node's visitors within this long. One presence read per
 * node per check, compared per queue; a run follows only when a queue's figure changed.
 */
export const ON_DUTY_CHECK_EVERY_MS = 2_000;

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
  /** Staffed slots of each queue waited in here, as last told (routeKey → slots). */
  private readonly toldSlots = new Map<string, number>();
  private refresher: TimerHandle | null = null;
  private onDutyChecker: TimerHandle | null = null;
  private checking = false;
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
    const check = () => {
      if (this.stopped) return;
      void this.checkOnDuty();
      this.onDutyChecker = this.ctx.clock.after(ON_DUTY_CHECK_EVERY_MS, check);
    };
    this.onDutyChecker = this.ctx.clock.after(ON_DUTY_CHECK_EVERY_MS, check);
  }

  stop(): void {
    this.stopped = true;
    this.refresher?.cancel();
    this.onDutyChecker?.cancel();
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
  async standing(ticket: Ticket): Promise<{ told: Standing; operators: OperatorPresence[] }> {
    this.watch(ticket);
    const [positions, operators] = await Promise.all([this.ctx.store.queuePositions([ticket]), this.ctx.store.listPresence()]);
    const position = positions.get(ticket.id) ?? 1;
    const staffing = queueStaffing(operators, ticket);
    const told = standingOf(position, staffing, await this.ctx.store.recentHandleTimes(ticket.line));
    // The caller tells the visitor this; later runs send only changes from it.
    this.told.set(ticket.id, summary(told));
    return { told, operators };
  }

  /**
   * Whether who is on duty changed for a queue that a visitor here waits in, since they were
   * last told: then a run tells them (and routes). The nodes share presence through the
   * store, so a change made through any node is seen here.
   */
  async checkOnDuty(): Promise<void> {
    if (this.checking || this.stopped || this.waitingHere.size === 0) return;
    this.checking = true;
    try {
      const operators = await this.ctx.store.listPresence();
      const seen = new Set<string>();
      for (const route of this.waitingHere.values()) {
        const key = routeKey(route);
        if (seen.has(key)) continue;
        seen.add(key);
        if (this.toldSlots.get(key) !== queueStaffing(operators, route).slots) {
          void this.schedule();
          return;
        }
      }
    } catch {
      // The store is away: visitors are told so ('service'); the next check tries again.
    } finally {
      this.checking = false;
    }
  }

  private async run(): Promise<void> {
    const { store, clock, config, outbox } = this.ctx;
    // An operator whose console is here may just have been set away for missed offers
    // (missed-offers.ts): let that land first, so the next offer does not go to them and
    // straight back. A run already under way, or a console on another node, may still cross
    // it: that offer is then withdrawn with the status.
    await this.connections.effectsSettled();
    const now = clock.now();
    const operators = await store.listPresence();
    const tickets = await store.waitingTickets(routingHeadSize(operators));
    // A visitor whose connection dropped is not offered until they are back: an operator
    // would otherwise take a chat with nobody there (a widget that asked twice leaves one).
    const offerable = tickets.filter((t) => hasLiveOffer(t, now) || t.visitorNode !== null);
    for (const plan of planOffers(offerable, operators, now, config.callCapacityRule)) {
      const expiresAt = now + config.offerTimeoutMs;
      if (!(await store.offerTicket(plan.ticketId, { operatorId: plan.operatorId, expiresAt }, now))) continue;
      const ticket = tickets.find((t) => t.id === plan.ticketId)!;
      outbox.toOperator(plan.operatorId, {
        type: 'offer',
        ticket: ticket.id,
        channel: ticket.channel,
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
      this.ctx.metrics.offer('made');
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
        this.ctx.metrics.offer('expired');
        await countMissedOffer(this.ctx, ticketId, operatorId, 'expired');
        this.ctx.logger.info({ event: 'offer.expired', ticket: ticketId, operator: operatorId }, 'offer expired');
      }
    } catch (error) {
      this.ctx.logger.error({ event: 'offer.expire-failed', ticket: ticketId, ...errorFields(error) }, 'offer expiry failed');
    }
    await this.schedule();
  }

  /**
   * Tell this node's waiting visitors where they stand, when that changed. Staffing is worked
   * out once per queue, not per visitor; only the position differs between them.
   */
  private async tellPositions(operators: OperatorPresence[]): Promise<void> {
    const ids = [...this.waitingHere.keys()];
    if (ids.length === 0) {
      this.toldSlots.clear();
      return;
    }
    const positions = await this.ctx.store.queuePositions([...this.waitingHere].map(([id, route]) => ({ id, ...route })));
    const samplesByLine = new Map<string, number[]>();
    const staffingByQueue = new Map<string, QueueStaffing>();
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
      const key = routeKey(route);
      let staffing = staffingByQueue.get(key);
      if (!staffing) {
        staffing = queueStaffing(operators, route);
        staffingByQueue.set(key, staffing);
      }
      const told = standingOf(position, staffing, samples);
      if (this.told.get(id) === summary(told)) continue;
      this.told.set(id, summary(told));
      void this.connections.toLocalVisitor(id, { type: 'position', ...told });
    }
    this.toldSlots.clear();
    for (const [key, staffing] of staffingByQueue) this.toldSlots.set(key, staffing.slots);
  }
}


/** What was told, to send only changes. */
function summary(standing: Standing): string {
  return `${standing.position}/${standing.estimate}/${standing.available}`;
}
