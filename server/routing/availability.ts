import type { LanguageCode, LineId, TopicId } from '../../protocol/ids.js';
import { handles } from './eligibility.js';
import type { OperatorPresence, Ticket } from './types.js';

/** A queue as routing sees it: who may take its tickets depends on these three only. */
export type Route = Pick<Ticket, 'line' | 'language' | 'topic'>;

/**
 * On duty: signed in and available. Busy at capacity still counts (the wait estimate covers
 * the wait for a free slot); away does not, nor offline, which is what an operator becomes
 * when no console of theirs is connected on any node.
 */
export function onDuty(operator: Pick<OperatorPresence, 'status'>): boolean {
  return operator.status === 'available';
}

/** The operators on duty who may take this queue's tickets. */
export function staffedFor(operators: readonly OperatorPresence[], route: Route): OperatorPresence[] {
  return operators.filter((op) => onDuty(op) && handles(op, route));
}

/** Whether someone on duty could take this queue's tickets now (a slot of theirs, busy or not). */
export function anyoneOnDuty(operators: readonly OperatorPresence[], route: Route): boolean {
  return operators.some((op) => onDuty(op) && op.capacity > 0 && handles(op, route));
}

/**
 * The line's languages, in its own order, in which someone on duty could take a chat now on
 * any of the line's topics.
 */
export function languagesOnDuty(
  line: { id: LineId; languages: readonly LanguageCode[]; topics: readonly TopicId[] },
  operators: readonly OperatorPresence[],
): LanguageCode[] {
  return line.languages.filter((language) =>
    line.topics.some((topic) => anyoneOnDuty(operators, { line: line.id, language, topic })),
  );
}

/** A queue's key in a map: ids cannot hold \0, so no two queues share one. */
export function routeKey(route: Route): string {
  return `${route.line}\u0000${route.language}\u0000${route.topic}`;
}
