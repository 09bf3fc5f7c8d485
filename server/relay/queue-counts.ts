import type { WaitingQueue } from '../../protocol/operator-messages.js';
import type { OperatorAccount } from '../accounts/account.js';
import { errorFields } from '../logging.js';
import { configuredQueues, type QueueLabels } from '../routing/configured-queues.js';
import { QUEUE_READ_CAP } from '../store/store.js';
import type { OperatorPeer } from './outbox.js';
import type { RelayContext } from './relay-context.js';
import { Rounds } from './rounds.js';

/** How often the consoles here are told the size of their queues (when it changed). */
export const QUEUE_COUNTS_EVERY_MS = 3_000;

const keyOf = (q: QueueLabels): string => `${q.line}\u0000${q.language}\u0000${q.topic}\u0000${q.channel}`;

interface Watching {
  queues: QueueLabels[];
  /** What this console was last sent, to send only a change. */
  last: string;
}

/**
 * Tells every operator console on this node how many wait in each queue its operator serves
 * (and the longest wait), away or at capacity too: an operator who sees people waiting may
 * wrap up sooner or come on duty. One read of the store per round for all consoles here,
 * and a console is sent only what changed for it.
 */
export class QueueCounts {
  private readonly consoles = new Map<OperatorPeer, Watching>();
  private readonly queues: QueueLabels[];
  private readonly rounds: Rounds;

  constructor(private readonly ctx: RelayContext) {
    this.queues = configuredQueues(ctx.config.lines, ctx.config.voice !== null);
    this.rounds = new Rounds(ctx.clock, QUEUE_COUNTS_EVERY_MS, () => this.consoles.size > 0, () => this.tell([...this.consoles.keys()]));
  }

  /** After the console's welcome: its queues now, and from then on their changes. */
  add(peer: OperatorPeer, account: Pick<OperatorAccount, 'lines' | 'languages' | 'topics'>): void {
    if (!peer.open) return;
    const queues = this.queues.filter((q) => account.lines.includes(q.line) && account.languages.includes(q.language) && account.topics.includes(q.topic));
    this.consoles.set(peer, { queues, last: '' });
    void this.tell([peer]);
    this.rounds.ensure();
  }

  remove(peer: OperatorPeer): void {
    this.consoles.delete(peer);
  }

  stop(): void {
    this.rounds.stop();
  }

  private async tell(peers: OperatorPeer[]): Promise<void> {
    let waiting;
    try {
      waiting = await this.ctx.store.waitingTickets(QUEUE_READ_CAP);
    } catch (error) {
      // The store is away: consoles already say so ('service'); the next round tries again.
      this.ctx.logger.warn({ event: 'queue-counts.failed', ...errorFields(error) }, 'queue counts not read');
      return;
    }
    const now = this.ctx.clock.now();
    const sizes = new Map<string, { waiting: number; oldest: number }>();
    for (const t of waiting) {
      const size = sizes.get(keyOf(t)) ?? { waiting: 0, oldest: t.createdAt };
      size.waiting += 1;
      size.oldest = Math.min(size.oldest, t.createdAt);
      sizes.set(keyOf(t), size);
    }
    for (const peer of peers) {
      const watching = this.consoles.get(peer);
      if (!watching) continue;
      const queues: WaitingQueue[] = watching.queues.map((q) => {
        const size = sizes.get(keyOf(q));
        return { ...q, waiting: size?.waiting ?? 0, longestWaitSeconds: size ? Math.max(0, Math.floor((now - size.oldest) / 1000)) : 0 };
      });
      // Waits grow every second; a change of who waits is what is worth a frame, or a minute more.
      const shape = JSON.stringify(queues.map((q) => [q.waiting, Math.floor(q.longestWaitSeconds / 60)]));
      if (shape === watching.last) continue;
      watching.last = shape;
      peer.send({ type: 'waiting', queues });
    }
  }
}
