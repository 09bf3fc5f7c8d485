import type { SupervisorMessage } from '../../protocol/supervisor-messages.js';
import { errorFields } from '../logging.js';
import type { OperatorPeer } from '../relay/outbox.js';
import type { RelayContext } from '../relay/relay-context.js';
import { Rounds } from '../relay/rounds.js';
import { localDate } from './aggregates.js';
import { QUEUE_READ_CAP } from '../store/store.js';
import { dayBucketIds, quarterBucketIds, supervisorFigures } from './supervisor-figures.js';

/** How often supervisors' consoles are sent the figures. */
export const SUPERVISOR_EVERY_MS = 2_000;

/**
 * Sends the supervisors and admins whose consoles are on this node the live figures, every
 * SUPERVISOR_EVERY_MS while at least one is connected. The figures are read from the store,
 * so every node sends the same; a node with no supervisor reads nothing.
 */
export class SupervisorFeed {
  private readonly peers = new Set<OperatorPeer>();
  private readonly rounds: Rounds;

  constructor(private readonly ctx: RelayContext) {
    this.rounds = new Rounds(ctx.clock, SUPERVISOR_EVERY_MS, () => this.peers.size > 0, () => this.tell([...this.peers]));
  }

  /** A supervisor's or admin's console: send it the figures now and every 2 s. */
  add(peer: OperatorPeer): void {
    // A console that closed before its welcome was sent is never added (its close has run).
    if (!peer.open) return;
    this.peers.add(peer);
    void this.tell([peer]);
    this.rounds.ensure();
  }

  remove(peer: OperatorPeer): void {
    this.peers.delete(peer);
  }

  stop(): void {
    this.rounds.stop();
  }

  private async tell(peers: OperatorPeer[]): Promise<void> {
    let figures: SupervisorMessage;
    try {
      figures = await this.figures();
    } catch (error) {
      // The store is away: consoles already say so ('service'); the next round tries again.
      this.ctx.logger.warn({ event: 'supervisor.figures-failed', ...errorFields(error) }, 'supervisor figures not read');
      return;
    }
    for (const peer of peers) if (this.peers.has(peer)) peer.send(figures);
  }

  /** Today's figures, from the store: a few reads whatever the number of nodes. */
  async figures(): Promise<SupervisorMessage> {
    const { store, clock, config } = this.ctx;
    const now = clock.now();
    const lines = config.lines;
    const dayBuckets = await store.aggregateBuckets(dayBucketIds(lines, now));
    const quarterBuckets = await store.aggregateBuckets(quarterBucketIds(lines, now, dayBuckets));
    const day = localDate(now, lines.timezone);
    const [waiting, operators, offersMissed, coverage] = await Promise.all([
      store.waitingTickets(QUEUE_READ_CAP),
      store.listPresence(),
      store.dayTally('missed', day),
      store.dayTally('coverage', day),
    ]);
    return supervisorFigures({ lines, now, buckets: [...dayBuckets, ...quarterBuckets], waiting, operators, offersMissed, coverage });
  }
}
