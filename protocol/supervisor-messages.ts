import * as z from 'zod/mini';
import { channelSchema, idSchema, languageSchema } from './ids.js';

/**
 * What a supervisor's or admin's console is sent every 2 s over /ws/operator (never an
 * operator's): the queues and operators now, and today's figures, all from the shared store,
 * so every node sends the same. Counts and durations only: no contact appears in it.
 */
const rate = z.nullable(z.number().check(z.minimum(0), z.maximum(1)));
const seconds = z.nullable(z.number().check(z.minimum(0)));
const count = z.int().check(z.minimum(0));

export const queueFiguresSchema = z.strictObject({
  line: idSchema,
  language: languageSchema,
  topic: idSchema,
  channel: channelSchema,
  /** Waiting now, and the longest of their waits so far. */
  waiting: count,
  longestWaitSeconds: z.number().check(z.minimum(0)),
  /** The line's service-level target: the share answered within this many seconds. */
  targetSeconds: count,
  today: z.strictObject({
    requested: count,
    answered: count,
    /** Left before an answer, after the short-abandon time: counts against the service level. */
    abandoned: count,
    /** Left within the short-abandon time: counted apart, not against the service level. */
    shortAbandoned: count,
    declined: count,
    expired: count,
    /** answered within target ÷ (answered + abandoned); null with neither. */
    serviceLevel: rate,
  }),
  lastHour: z.strictObject({
    answered: count,
    abandoned: count,
    medianWaitSeconds: seconds,
    p90WaitSeconds: seconds,
    serviceLevel: rate,
  }),
  /** The service level of the last hour (or today, when the last hour has none) is below 80 %,
   *  or someone has waited longer than the target now. */
  overTarget: z.boolean(),
});
export type QueueFigures = z.infer<typeof queueFiguresSchema>;

export const operatorFiguresSchema = z.strictObject({
  id: idSchema,
  name: z.string(),
  status: z.enum(['available', 'away', 'offline']),
  /** Chats and calls held now (calls also in `calls`), against `capacity`. */
  active: count,
  calls: count,
  capacity: count,
  /** Seconds since the operator's status last changed. */
  inStatusSeconds: count,
  /** Offers that expired unanswered or were declined today. */
  offersMissedToday: count,
});
export type OperatorFigures = z.infer<typeof operatorFiguresSchema>;

export const curvePointSchema = z.strictObject({
  /** Start of the quarter hour, ISO 8601 (UTC). */
  start: z.string(),
  arrivals: count,
  answered: count,
  abandoned: count,
});
export type CurvePoint = z.infer<typeof curvePointSchema>;

export const coverageFiguresSchema = z.strictObject({
  line: idSchema,
  language: languageSchema,
  /** Minutes today within the line's hours when nobody who could answer in this language was on duty. */
  uncoveredMinutes: count,
  /** Chats and calls in this language that arrived while nobody could answer them. */
  contactsUncovered: count,
});
export type CoverageFigures = z.infer<typeof coverageFiguresSchema>;

export const supervisorMessageSchema = z.strictObject({
  type: z.literal('supervisor'),
  /** When these figures were read (ms since the epoch). */
  at: z.number(),
  /** Today, in the deployment's time zone ("YYYY-MM-DD"). */
  day: z.string(),
  queues: z.array(queueFiguresSchema),
  operators: z.array(operatorFiguresSchema),
  /** Today's quarter hours so far, oldest first. */
  curve: z.array(curvePointSchema),
  /** Each line × language: the time today nobody could answer in it, and who came then. */
  coverage: z.array(coverageFiguresSchema),
});
export type SupervisorMessage = z.infer<typeof supervisorMessageSchema>;
