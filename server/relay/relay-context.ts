import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { LineConfig } from '../config/lines-config.js';
import type { Ticket } from '../routing/types.js';
import { aggregateKeys, localDate, waitBand, type AggregateField } from '../stats/aggregates.js';
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

/**
 * Count a chat or call in its anonymous aggregates: the quarter hour and the day it arrived
 * in (stats/aggregates.ts), kept for STATS_RETENTION_DAYS.
 */
export async function countChat(ctx: RelayContext, ticket: Pick<Ticket, 'createdAt' | 'line' | 'language' | 'topic' | 'channel'>, field: AggregateField, amount = 1): Promise<void> {
  const keys = aggregateKeys(ticket.createdAt, ticket, ctx.config.lines.timezone);
  await Promise.all(keys.map((key) => ctx.store.countAggregate(key, field, ctx.config.statsRetentionMs, amount)));
}

/** An answered contact: answered, in the line's target or not, and its wait band. */
export async function countAnswered(ctx: RelayContext, ticket: Ticket, waitedSeconds: number): Promise<void> {
  const target = ctx.line(ticket.line)?.serviceLevelTargetSeconds ?? Infinity;
  await Promise.all([
    countChat(ctx, ticket, 'answered'),
    countChat(ctx, ticket, waitBand(waitedSeconds)),
    waitedSeconds <= target ? countChat(ctx, ticket, 'inTarget') : null,
  ]);
}

/**
 * An offer the operator let pass (declined, or expired unanswered): in the queue's figures,
 * and in the operator's own count for the day. Never fails the caller: it is only a count.
 */
export async function countMissedOffer(ctx: RelayContext, ticketId: string, operatorId: string, how: 'declined' | 'expired'): Promise<void> {
  try {
    const ticket = await ctx.store.getTicket(ticketId);
    if (ticket) await countChat(ctx, ticket, how);
    const day = localDate(ctx.clock.now(), ctx.config.lines.timezone);
    await ctx.store.countDay('missed', day, operatorId, DAY_TALLY_TTL_MS);
  } catch {
    // The store is away: this count is lost, the offer itself went on.
  }
}

/** The supervisor view's day tallies are today's figures: kept two days, then gone. */
export const DAY_TALLY_TTL_MS = 2 * 24 * 3600_000;
