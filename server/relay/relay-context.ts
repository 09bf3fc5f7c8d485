import type { Logger } from 'pino';
import { LIMITS } from '../../protocol/limits.js';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { LineConfig } from '../config/lines-config.js';
import type { Ticket } from '../routing/types.js';
import { AGGREGATE_TTL_MS, aggregateKey, type AggregateField } from '../stats/aggregates.js';
import type { Store } from '../store/store.js';
import type { Outbox } from './outbox.js';

/**
 * Abuse limits. The defaults suit a public service; a benchmark driving thousands of chats
 * from one loopback address raises them. Address limits are per node (see operations.md).
 */
export interface RelayLimits {
  /** Socket upgrades per minute from one address. */
  upgradesPerMinute: number;
  /** New chats per ten minutes from one address ... */
  newChatsPer10Min: number;
  /** ... and open at once (waiting or talking). */
  openChatsPerAddress: number;
  /** Messages per connection per LIMITS.messageWindowSeconds. */
  messagesPerWindow: number;
  /**
   * Leave beacons kept while the store is away, to be done when it is back (about 100 bytes
   * each): they are unauthenticated until then, so they are bounded.
   */
  leaveBeaconsWhenBack: number;
}

/**
 * Loose on purpose: a mobile network (carrier-grade NAT), a shelter or a school puts many
 * people behind one address.
 */
export const DEFAULT_LIMITS: RelayLimits = {
  upgradesPerMinute: 60,
  newChatsPer10Min: 30,
  openChatsPerAddress: 10,
  messagesPerWindow: LIMITS.messagesPerWindow,
  leaveBeaconsWhenBack: 10_000,
};

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
}

/** Count a chat in its hour's anonymous aggregates (the hour it arrived in). */
export function countChat(ctx: RelayContext, ticket: Ticket, field: AggregateField): Promise<void> {
  return ctx.store.countAggregate(aggregateKey(ticket.createdAt, ticket), field, AGGREGATE_TTL_MS);
}
