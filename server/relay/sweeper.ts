import type { TimerHandle } from '../clock.js';
import { errorFields } from '../logging.js';
import type { Dispatcher } from './dispatcher.js';
import type { OperatorDesk } from './operator-desk.js';
import type { RelayContext } from './relay-context.js';
import type { VisitorChats } from './visitor-chats.js';
import type { Ticket } from '../routing/types.js';

/** How often each node says it is alive (and retries what the store missed). */
export const SWEEP_EVERY_MS = 5_000;
/** A node that has not said so for this long is dead: its sockets are gone. */
export const NODE_TTL_MS = 15_000;
/**
 * How often the full sweep runs. It reads every ticket, which costs Redis and the node a
 * read per ticket, so it runs on one node at a time (the holder of a lease), not on each.
 */
export const FULL_SWEEP_EVERY_MS = 30_000;
/** The sweep lease outlives a round, so a live holder keeps it; a dead one loses it soon. */
export const SWEEP_LEASE_MS = FULL_SWEEP_EVERY_MS + 15_000;
/** The lease's name in the store. */
export const SWEEP_LEASE = 'sweep';

/**
 * What keeps chats right when a node dies without a word (SIGKILL, a lost machine). Grace,
 * away and offer timers run on the node that started them; this runs on every node, reads
 * the shared records, and does what a dead node's timers would have done:
 * - visitors and consoles attached to a dead node are marked away (their grace starts now);
 * - a visitor away longer than the grace has their chat ended and purged;
 * - an operator away longer than the grace has their chats ended;
 * - an offer past its expiry is withdrawn and passed on.
 * Every step is an atomic, idempotent store operation, so nodes sweeping at once agree.
 */
export class Sweeper {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastFullSweep = -Infinity;
  /** Before this instant no node is judged dead: heartbeats may not have been written yet. */
  private judgeDeathFrom = Infinity;
  /** Others' checks of every live ticket, run in the full sweep (phone calls: server/voice/). */
  private readonly watchers: ((t: Ticket, now: number) => Promise<void>)[] = [];

  constructor(
    private readonly ctx: RelayContext,
    private readonly visitors: VisitorChats,
    private readonly desk: OperatorDesk,
    private readonly dispatcher: Dispatcher,
  ) {}

  start(): void {
    this.stopped = false;
    this.judgeDeathFrom = this.ctx.clock.now() + NODE_TTL_MS;
    const tick = () => {
      if (this.stopped) return;
      // Its own call, not part of a round: a long sweep must not stop this node's heartbeat.
      this.ctx.store.heartbeatNode(this.ctx.nodeId, this.ctx.clock.now(), NODE_TTL_MS).catch(() => undefined);
      void this.sweep();
    };
    tick();
    const every = () => {
      this.timer = this.ctx.clock.after(SWEEP_EVERY_MS, () => {
        tick();
        if (!this.stopped) every();
      });
    };
    every();
  }

  /**
   * The store was away and is back. Nobody could write a heartbeat meanwhile, so nobody is
   * judged dead until every live node has had the time to write one again.
   */
  storeReturned(): void {
    this.judgeDeathFrom = this.ctx.clock.now() + NODE_TTL_MS;
    void this.sweep(true);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Have `watch` look at every live ticket in each full sweep. */
  watchTickets(watch: (t: Ticket, now: number) => Promise<void>): void {
    this.watchers.push(watch);
  }

  /** One round now; `full` forces the full sweep (the store came back). Rounds never overlap. */
  sweep(full = false): Promise<void> {
    if (full) this.lastFullSweep = -Infinity;
    this.running ??= this.round()
      .catch((error: unknown) => this.ctx.logger.warn({ event: 'sweep.failed', ...errorFields(error) }, 'sweep failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    const { store, clock, config, nodeId } = this.ctx;
    await this.visitors.retryWhenBack();
    this.visitors.forgetOldSenders();
    await this.desk.retryPendingDetaches();
    const now = clock.now();
    if (now - this.lastFullSweep < FULL_SWEEP_EVERY_MS || !(await store.claimLease(SWEEP_LEASE, nodeId, now, SWEEP_LEASE_MS))) return;
    this.lastFullSweep = now;
    const judging = now >= this.judgeDeathFrom;
    const live = await store.liveNodes(now);
    live.add(nodeId); // whatever the clock says, this node is not dead
    const dead = (node: string) => judging && !live.has(node);
    const grace = config.reconnectGraceMs;

    for (const t of await store.listTickets()) {
      if (t.state === 'ended') continue;
      for (const watch of this.watchers) await watch(t, now);
      // A caller is held by the phone network, not a node: only chats' visitors go away.
      const chat = t.channel === 'chat';
      if (chat && t.visitorNode !== null && dead(t.visitorNode)) {
        await store.detachVisitor(t.id, t.visitorEpoch, now);
      } else if (chat && t.visitorNode === null && t.detachedAt !== null && now - t.detachedAt >= grace) {
        await this.visitors.endAfterGrace(t.id, t.visitorEpoch);
      }
      if (t.state === 'waiting' && t.offer && t.offer.expiresAt <= now) {
        await this.dispatcher.expireOffer(t.id, t.offer.operatorId);
      }
    }

    for (const p of await store.listPresence()) {
      let presence = p;
      for (const node of p.nodes.filter(dead)) {
        presence = (await store.detachConsole(p.id, node, now)) ?? presence;
        if (presence.nodes.length === 0) await this.desk.wentAway(p.id);
      }
      if (presence.nodes.length === 0 && presence.disconnectedAt !== null && now - presence.disconnectedAt >= grace) {
        await this.desk.endIfStillAway(p.id, presence.disconnectedAt);
      }
    }
  }
}
