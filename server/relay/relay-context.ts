import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { LineConfig } from '../config/lines-config.js';
import type { Ticket } from '../routing/types.js';
import { AGGREGATE_TTL_MS, aggregateKey, type AggregateField } from '../stats/aggregates.js';
import type { Store } from '../store/store.js';
import type { Outbox } from './outbox.js';
import type { RelayLimits } from '../abuse/limits.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';

// The limits live with the other abuse code (settings read their defaults); the relay's
// users (app, tests, bench) still find them here.
export { DEFAULT_LIMITS, type RelayLimits } from '../abuse/limits.js';

/** What the relay's parts share: built once per app by createApp. */
export interface RelayContext {
  config: AppConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  /** This node's name in the store (attachments, heartbeats) and in logs. */
  nodeId: string;
  limits: RelayLimits;
  line(id: string): LineConfig | undefined;
  /** Counts and durations for /metrics (NO_METRICS when it is off). */
  metrics: RelayMetrics;
}

/** Count a chat in its hour's anonymous aggregates (the hour it arrived in). */
export function countChat(ctx: RelayContext, ticket: Ticket, field: AggregateField): Promise<void> {
  return ctx.store.countAggregate(aggregateKey(ticket.createdAt, ticket), field, AGGREGATE_TTL_MS);
}
