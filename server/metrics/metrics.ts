import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUE_READ_CAP, type Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import type { QueueLabels } from '../routing/configured-queues.js';
import type { RelayMetrics } from './relay-metrics.js';

/** Waits and handle times of helplines: seconds to answer, and conversations of up to hours. */
const WAIT_BUCKETS = [5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const HANDLE_BUCKETS = [60, 300, 600, 1200, 1800, 2700, 3600, 5400, 7200, 10800];


export interface MetricsSources {
  store: Store;
  clock: Clock;
  /** Every queue the lines file makes: each reads 0 when nobody waits, rather than vanishing. */
  queues: readonly QueueLabels[];
  /** This node's open sockets, by kind. */
  connections(): { visitor: number; operator: number };
}


/**
 * The Prometheus metrics of one node (prom-client, a registry of its own per app). Queue
 * gauges are read from the store at each scrape, so every node reports the same queues;
 * counters and histograms are this node's, and Prometheus sums them across nodes. Labels are
 * routing ids, kinds, outcomes and error codes: nothing in a label identifies a person.
 */
export class QuietlineMetrics implements RelayMetrics {
  readonly registry = new Registry();
  private readonly offers: Counter<'outcome'>;
  private readonly errors: Counter<'code'>;
  private readonly waits: Histogram<'line' | 'language' | 'topic' | 'channel'>;
  private readonly handles: Histogram<'line' | 'channel'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'quietline_' });
    const queueLabels = ['line', 'language', 'topic', 'channel'] as const;
    // Both queue gauges are filled by one read of the store per scrape (prom-client collects
    // the metrics of a scrape at once: both wait on the same read).
    let reading: Promise<void> | null = null;
    const collectQueues = () => (reading ??= readQueues().finally(() => (reading = null)));
    const readQueues = async () => {
      // With the store away the queues keep their last values: the process metrics still go out.
      const tickets = await sources.store.waitingTickets(QUEUE_READ_CAP).catch(() => null);
      if (tickets === null) return;
      const now = sources.clock.now();
      waiting.reset();
      longest.reset();
      const keyOf = (q: QueueLabels) => `${q.line}\u0000${q.language}\u0000${q.topic}\u0000${q.channel}`;
      const seen = new Map<string, { labels: QueueLabels; count: number; oldest: number }>();
      for (const labels of sources.queues) seen.set(keyOf(labels), { labels, count: 0, oldest: now });
      for (const t of tickets) {
        const key = keyOf(t);
        const entry = seen.get(key) ?? { labels: { line: t.line, language: t.language, topic: t.topic, channel: t.channel }, count: 0, oldest: t.createdAt };
        entry.count++;
        entry.oldest = Math.min(entry.oldest, t.createdAt);
        seen.set(key, entry);
      }
      for (const { labels, count, oldest } of seen.values()) {
        waiting.set(labels, count);
        longest.set(labels, Math.max(0, (now - oldest) / 1000));
      }
    };
    const waiting: Gauge<(typeof queueLabels)[number]> = new Gauge({
      name: 'quietline_queue_waiting',
      help: 'Contacts waiting now, per queue (from the shared store).',
      labelNames: queueLabels,
      registers,
      collect: collectQueues,
    });
    const longest = new Gauge({
      name: 'quietline_queue_longest_wait_seconds',
      help: 'The longest wait now, per queue (from the shared store).',
      labelNames: queueLabels,
      registers,
      collect: collectQueues,
    });
    const connections: Gauge<'kind'> = new Gauge({
      name: 'quietline_connections',
      help: "This node's open sockets, by kind.",
      labelNames: ['kind'] as const,
      registers,
      collect: () => {
        const counts = sources.connections();
        connections.set({ kind: 'visitor' }, counts.visitor);
        connections.set({ kind: 'operator' }, counts.operator);
      },
    });
    this.offers = new Counter({ name: 'quietline_offers_total', help: 'Offers by outcome: made, accepted, declined, expired, refused (at capacity or gone).', labelNames: ['outcome'] as const, registers });
    this.errors = new Counter({ name: 'quietline_errors_total', help: 'Typed errors sent to clients, by code (docs/errors.md).', labelNames: ['code'] as const, registers });
    this.waits = new Histogram({ name: 'quietline_wait_seconds', help: 'Wait until an operator answered, per queue.', labelNames: queueLabels, buckets: WAIT_BUCKETS, registers });
    this.handles = new Histogram({ name: 'quietline_handle_seconds', help: 'Time an operator spent with a contact, per line and channel.', labelNames: ['line', 'channel'] as const, buckets: HANDLE_BUCKETS, registers });
  }

  offer(outcome: Parameters<RelayMetrics['offer']>[0]): void {
    this.offers.inc({ outcome });
  }

  answered(t: Parameters<RelayMetrics['answered']>[0], seconds: number): void {
    this.waits.observe({ line: t.line, language: t.language, topic: t.topic, channel: t.channel }, seconds);
  }

  handled(t: Parameters<RelayMetrics['handled']>[0], seconds: number): void {
    this.handles.observe({ line: t.line, channel: t.channel }, seconds);
  }

  error(code: Parameters<RelayMetrics['error']>[0]): void {
    this.errors.inc({ code });
  }
}
