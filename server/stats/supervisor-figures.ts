import type { OperatorPresence, RoutingTicket } from '../routing/types.js';
import type { CurvePoint, OperatorFigures, QueueFigures, SupervisorMessage } from '../../protocol/supervisor-messages.js';
import type { LinesConfig } from '../config/lines-config.js';
import { bucketId, dayStart, localDate, QUARTER_MS, quarterStart, quartersOfDay, type Aggregate, type QueueKey } from './aggregates.js';
import { addCounts, serviceLevel, waitPercentile } from './wait-percentiles.js';
import { coverageField } from './coverage.js';

/** A queue is over target when its recent service level is below this, or someone waits longer than the target. */
export const SERVICE_LEVEL_GOAL = 0.8;
/** "The last hour": the quarter hour now and the three before it. */
const LAST_HOUR_QUARTERS = 4;
const CHANNELS = ['chat', 'call'] as const;

/** Every queue the lines file makes possible, line × language × topic × channel. */
export function allQueues(lines: LinesConfig): QueueKey[] {
  return lines.lines.flatMap((l) => l.languages.flatMap((language) => l.topics.flatMap((topic) => CHANNELS.map((channel) => ({ line: l.id, language, topic, channel })))));
}

/** The bucket ids the figures for `now` need: today's day buckets, and the quarter hours of today's active queues. */
export function dayBucketIds(lines: LinesConfig, now: number): string[] {
  const start = new Date(dayStart(now, lines.timezone)).toISOString();
  return allQueues(lines).map(({ line, language, topic, channel }) => bucketId({ start, span: 'day', line, language, topic, channel }));
}

export function quarterBucketIds(lines: LinesConfig, now: number, active: readonly QueueKey[]): string[] {
  // Today's quarter hours for the curve, and the last hour's even when it began yesterday.
  const start = dayStart(now, lines.timezone);
  const earlier = Array.from({ length: LAST_HOUR_QUARTERS - 1 }, (_, i) => start - (i + 1) * QUARTER_MS).filter((t) => t > now - LAST_HOUR_QUARTERS * QUARTER_MS);
  const quarters = [...earlier, ...quartersOfDay(start, lines.timezone).filter((t) => t <= now)];
  return active.flatMap(({ line, language, topic, channel }) =>
    quarters.map((t) => bucketId({ start: new Date(t).toISOString(), span: '15m', line, language, topic, channel })),
  );
}

export interface FigureInputs {
  lines: LinesConfig;
  now: number;
  /** Today's day buckets and quarter buckets (any that exist). */
  buckets: readonly Aggregate[];
  waiting: readonly RoutingTicket[];
  operators: readonly OperatorPresence[];
  offersMissed: ReadonlyMap<string, number>;
  /** Today's coverage tally (stats/coverage.ts): `line|language|what` → count. */
  coverage: ReadonlyMap<string, number>;
}

const queueKeyOf = (q: QueueKey) => `${q.line}\u0000${q.language}\u0000${q.topic}\u0000${q.channel}`;

/**
 * What a supervisor sees, worked out from the store's records alone (so every node says the
 * same): the queues with anything today or waiting now, the operators signed in, and today's
 * quarter hours. Pure: the tests give it records and a clock reading.
 */
export function supervisorFigures(inputs: FigureInputs): SupervisorMessage {
  const { lines, now } = inputs;
  const lineById = new Map(lines.lines.map((l) => [l.id, l]));
  const sinceLastHour = quarterStart(now) - (LAST_HOUR_QUARTERS - 1) * QUARTER_MS;
  const queues = new Map<string, { key: QueueKey; today: Record<string, number>; lastHour: Record<string, number>; waiting: number; oldest: number | null }>();
  const entry = (key: QueueKey) => {
    const id = queueKeyOf(key);
    let found = queues.get(id);
    if (!found) {
      found = { key: { line: key.line, language: key.language, topic: key.topic, channel: key.channel }, today: {}, lastHour: {}, waiting: 0, oldest: null };
      queues.set(id, found);
    }
    return found;
  };
  const curve = new Map<number, CurvePoint>();
  const today = quartersOfDay(dayStart(now, lines.timezone), lines.timezone).filter((t) => t <= now);
  for (const t of today) curve.set(t, { start: new Date(t).toISOString(), arrivals: 0, answered: 0, abandoned: 0 });

  for (const bucket of inputs.buckets) {
    if (bucket.span === 'day') {
      addCounts(entry(bucket).today, bucket.counts);
      continue;
    }
    const start = Date.parse(bucket.start);
    if (start >= sinceLastHour) addCounts(entry(bucket).lastHour, bucket.counts);
    const point = curve.get(start);
    if (point) {
      point.arrivals += bucket.counts.requested ?? 0;
      point.answered += bucket.counts.answered ?? 0;
      point.abandoned += (bucket.counts.abandoned ?? 0) + (bucket.counts.shortAbandoned ?? 0);
    }
  }
  for (const t of inputs.waiting) {
    if (t.state !== 'waiting') continue;
    const q = entry(t);
    q.waiting++;
    q.oldest = Math.min(q.oldest ?? t.createdAt, t.createdAt);
  }

  const queueFigures: QueueFigures[] = [...queues.values()]
    .filter((q) => q.waiting > 0 || Object.keys(q.today).length > 0)
    .map((q) => {
      const targetSeconds = lineById.get(q.key.line)?.serviceLevelTargetSeconds ?? 60;
      const longestWaitSeconds = q.oldest === null ? 0 : Math.max(0, Math.round((now - q.oldest) / 1000));
      const todayLevel = serviceLevel(q.today);
      const hourLevel = serviceLevel(q.lastHour);
      const recent = hourLevel ?? todayLevel;
      return {
        ...q.key,
        waiting: q.waiting,
        longestWaitSeconds,
        targetSeconds,
        today: {
          requested: q.today.requested ?? 0,
          answered: q.today.answered ?? 0,
          abandoned: q.today.abandoned ?? 0,
          shortAbandoned: q.today.shortAbandoned ?? 0,
          declined: q.today.declined ?? 0,
          expired: q.today.expired ?? 0,
          serviceLevel: todayLevel,
        },
        lastHour: {
          answered: q.lastHour.answered ?? 0,
          abandoned: q.lastHour.abandoned ?? 0,
          medianWaitSeconds: waitPercentile(q.lastHour, 0.5),
          p90WaitSeconds: waitPercentile(q.lastHour, 0.9),
          serviceLevel: hourLevel,
        },
        overTarget: (recent !== null && recent < SERVICE_LEVEL_GOAL) || longestWaitSeconds > targetSeconds,
      };
    })
    .sort((a, b) => queueKeyOf(a).localeCompare(queueKeyOf(b)));

  const operatorFigures: OperatorFigures[] = inputs.operators
    .filter((op) => op.status !== 'offline' || op.active.length > 0)
    .map((op) => ({
      id: op.id,
      name: op.name,
      status: op.status,
      active: op.active.length,
      calls: op.call === null ? 0 : 1,
      capacity: op.capacity,
      inStatusSeconds: Math.max(0, Math.round((now - op.statusSince) / 1000)),
      offersMissedToday: inputs.offersMissed.get(op.id) ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const coverage = lines.lines.flatMap((l) =>
    l.languages.map((language) => ({
      line: l.id,
      language,
      uncoveredMinutes: inputs.coverage.get(coverageField(l.id, language, 'uncoveredMinutes')) ?? 0,
      contactsUncovered: inputs.coverage.get(coverageField(l.id, language, 'contactsUncovered')) ?? 0,
    })),
  );

  return {
    type: 'supervisor',
    at: now,
    day: localDate(now, lines.timezone),
    queues: queueFigures,
    operators: operatorFigures,
    curve: [...curve.values()],
    coverage,
  };
}
