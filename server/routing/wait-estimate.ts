import type { OperatorPresence, Ticket } from './types.js';
import { handles } from './eligibility.js';

/** Used until a line has handled chats of its own to learn from. */
export const DEFAULT_HANDLE_SECONDS = 12 * 60;

/**
 * Seconds until the visitor at `position` is likely answered: the queue ahead of them,
 * shared among the chat slots of operators staffed for this queue (available, busy or not — not
 * away or offline). Free slots answer at once; the rest wait for a slot to free up, one per
 * average recent handle time per slot. Null when
 * nobody is staffed: an honest "we cannot estimate" beats a made-up number.
 */
export function estimateWaitSeconds(
  position: number,
  ticket: Pick<Ticket, 'line' | 'language' | 'topic'>,
  operators: readonly OperatorPresence[],
  recentHandleSeconds: readonly number[],
): number | null {
  const staffed = operators.filter((op) => op.status === 'available' && handles(op, ticket));
  const slots = staffed.reduce((sum, op) => sum + op.capacity, 0);
  if (slots === 0) return null;
  const free = staffed.reduce((sum, op) => sum + Math.max(0, op.capacity - op.active.length), 0);
  const ahead = Math.max(0, position - free);
  const average =
    recentHandleSeconds.length > 0
      ? recentHandleSeconds.reduce((a, b) => a + b, 0) / recentHandleSeconds.length
      : DEFAULT_HANDLE_SECONDS;
  return Math.round((ahead * average) / slots);
}
