import type { Channel } from '../../protocol/operator-messages.js';

/**
 * How a phone call counts against an operator's places (CALL_CAPACITY_RULE). Nobody is on two
 * calls at once, whatever the rule: a person has one headset.
 * - 'blocks-new': a call takes one place, and while it lasts nothing new is offered (the
 *   operator's running chats carry on). The default: a caller has their full attention.
 * - 'one-place': a call takes one place like a chat; chats may still be offered beside it.
 * - 'exclusive': a call is offered only to an operator with nothing else, and blocks the rest.
 */
export const CALL_CAPACITY_RULES = ['blocks-new', 'one-place', 'exclusive'] as const;
export type CallCapacityRule = (typeof CALL_CAPACITY_RULES)[number];
export const DEFAULT_CALL_CAPACITY_RULE: CallCapacityRule = 'blocks-new';

/** What an operator holds now, as the rule reads it. */
export interface Load {
  /** Places taken (chats and calls, accepted or being accepted or offered). */
  taken: number;
  capacity: number;
  /** They are on a call, or one is offered to them or being accepted. */
  onCall: boolean;
}

/**
 * Whether one more ticket of `channel` fits. The one rule behind routing's plan and the
 * memory store's accept; the Redis store's accept script spells the same test in Lua
 * (redis-scripts.ts heldReserve); the store contract's [ST120] holds every store to it, case
 * by case (test/store/store-contract.ts).
 */
export function fits(load: Load, channel: Channel, rule: CallCapacityRule): boolean {
  if (load.taken >= load.capacity) return false;
  if (load.onCall && (channel === 'call' || rule !== 'one-place')) return false;
  if (channel === 'call' && rule === 'exclusive' && load.taken > 0) return false;
  return true;
}
