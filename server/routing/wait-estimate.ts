import type { OperatorPresence } from './types.js';
import { staffedFor, type Route } from './availability.js';

/** Used until a line has handled chats of its own to learn from. */
export const DEFAULT_HANDLE_SECONDS = 12 * 60;

/** A queue's chat slots now: those of the operators on duty for it, and how many are free. */
export interface QueueStaffing {
  slots: number;
  free: number;
}

/**
 * One figure per queue, so many visitors of one queue cost one pass over the operators.
 * `slots` is above 0 exactly when someone on duty could answer (see availability.ts).
 */
export function queueStaffing(operators: readonly OperatorPresence[], route: Route): QueueStaffing {
  let slots = 0;
  let free = 0;
  for (const op of staffedFor(operators, route)) {
    slots += op.capacity;
    free += Math.max(0, op.capacity - op.active.length);
  }
  return { slots, free };
}

/**
 * Seconds until the visitor at `position` is likely answered: the queue ahead of them,
 * shared among the chat slots of operators staffed for this queue (available, busy or not — not
 * away or offline). Free slots answer at once; the rest wait for a slot to free up, one per
 * average recent handle time per slot. Null when
 * nobody is staffed: an honest "we cannot estimate" beats a made-up number.
 */
export function estimateWaitSeconds(
  position: number,
  ticket: Route,
  operators: readonly OperatorPresence[],
  recentHandleSeconds: readonly number[],
): number | null {
  return estimateFromStaffing(position, queueStaffing(operators, ticket), recentHandleSeconds);
}

/** The same estimate from a queue's staffing worked out once. */
export function estimateFromStaffing(position: number, staffing: QueueStaffing, recentHandleSeconds: readonly number[]): number | null {
  if (staffing.slots === 0) return null;
  const ahead = Math.max(0, position - staffing.free);
  const average =
    recentHandleSeconds.length > 0
      ? recentHandleSeconds.reduce((a, b) => a + b, 0) / recentHandleSeconds.length
      : DEFAULT_HANDLE_SECONDS;
  return Math.round((ahead * average) / staffing.slots);
}

/** What a waiting visitor or caller is told of where they stand. */
export interface Standing {
  position: number;
  estimate: number | null;
  /** Someone who could take the chat is on duty now (see routing/availability.ts). */
  available: boolean;
}

/** Place, estimate and whether anyone is on duty, from a queue's staffing worked out once. */
export function standingOf(position: number, staffing: QueueStaffing, recentHandleSeconds: readonly number[]): Standing {
  return { position, estimate: estimateFromStaffing(position, staffing, recentHandleSeconds), available: staffing.slots > 0 };
}
