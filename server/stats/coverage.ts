import type { LanguageCode, LineId } from '../../protocol/ids.js';
import type { TimerHandle } from '../clock.js';
import type { LineConfig } from '../config/lines-config.js';
import { errorFields } from '../logging.js';
import type { RelayContext } from '../relay/relay-context.js';
import { DAY_TALLY_TTL_MS } from '../relay/relay-context.js';
import { languagesOnDuty, staffedFor, type Route } from '../routing/availability.js';
import type { OperatorPresence } from '../routing/types.js';
import { isOpen } from '../routing/opening-hours.js';
import { aggregateKeys, localDate } from './aggregates.js';

/**
 * Coverage per language: for each line × language, the minutes today within opening hours
 * when nobody who could answer in it was on duty, and the contacts that arrived then. The
 * figure a line needs to argue for one more Arabic-speaking shift. Minutes are sampled once
 * a minute by one node at a time (the holder of a lease), from the shared presence. The same
 * sample counts each queue's operator-minutes on duty, for the staffing estimate.
 */
export type CoverageWhat = 'uncoveredMinutes' | 'contactsUncovered';

export function coverageField(line: LineId, language: LanguageCode, what: CoverageWhat): string {
  return `${line}|${language}|${what}`;
}

export const COVERAGE_EVERY_MS = 60_000;
const CHANNELS = ['chat', 'call'] as const;
const CHAT_ONLY = ['chat'] as const;
const COVERAGE_LEASE = 'coverage';
/** The lease outlives a minute, so a live holder keeps it; a dead one loses it soon. */
const COVERAGE_LEASE_MS = 90_000;

function openNow(ctx: RelayContext, line: LineConfig, at: number): boolean {
  return ctx.config.ignoreHours || isOpen({ timezone: line.timezone, hours: line.hours, holidays: ctx.config.lines.holidays }, at);
}

/**
 * A contact arrived: counted when it came in an uncovered minute, when nobody on duty could
 * answer in its language on its line (on any of the line's topics, as the minutes are counted),
 * so that the contacts belong to the minutes they are shown beside.
 */
export async function countArrival(ctx: RelayContext, route: Route, operators: readonly OperatorPresence[]): Promise<void> {
  const line = ctx.line(route.line);
  if (!line || languagesOnDuty(line, operators).includes(route.language)) return;
  const day = localDate(ctx.clock.now(), ctx.config.lines.timezone);
  await ctx.store.countDay('coverage', day, coverageField(route.line, route.language, 'contactsUncovered'), DAY_TALLY_TTL_MS).catch(() => undefined);
}

/** The once-a-minute sample of who can answer in which language. */
export class CoverageSampler {
  private timer: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly ctx: RelayContext) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      void this.sample();
      this.timer = this.ctx.clock.after(COVERAGE_EVERY_MS, tick);
    };
    this.timer = this.ctx.clock.after(COVERAGE_EVERY_MS, tick);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Hand the sampling on now, if this node holds it: a draining node's minutes are not lost. */
  async release(): Promise<void> {
    await this.ctx.store.releaseLease(COVERAGE_LEASE, this.ctx.nodeId).catch(() => undefined);
  }

  async sample(): Promise<void> {
    const { store, clock, nodeId, config } = this.ctx;
    try {
      const now = clock.now();
      if (!(await store.claimLease(COVERAGE_LEASE, nodeId, now, COVERAGE_LEASE_MS))) return;
      const operators = await store.listPresence();
      const day = localDate(now, config.lines.timezone);
      // One minute's counts, written together rather than one round trip after another.
      const writes: Promise<void>[] = [];
      for (const line of config.lines.lines) {
        if (!openNow(this.ctx, line, now)) continue;
        const covered = new Set(languagesOnDuty(line, operators));
        for (const language of line.languages) {
          if (!covered.has(language)) writes.push(store.countDay('coverage', day, coverageField(line.id, language, 'uncoveredMinutes'), DAY_TALLY_TTL_MS));
          // Staffing, for the staffing estimate: operator-minutes on duty per queue (a queue's
          // operators are the same for chats and calls, so both channels' buckets get them).
          for (const topic of line.topics) {
            const staffed = staffedFor(operators, { line: line.id, language, topic }).filter((op) => op.capacity > 0).length;
            if (staffed === 0) continue;
            for (const channel of config.voice ? CHANNELS : CHAT_ONLY) {
              // Quarter hours only: the staffing estimate reads them, the day figures need none.
              const [quarter] = aggregateKeys(now, { line: line.id, language, topic, channel }, config.lines.timezone);
              writes.push(store.countAggregate(quarter, 'staffedMinutes', config.statsRetentionMs, staffed));
            }
          }
        }
      }
      await Promise.all(writes);
    } catch (error) {
      this.ctx.logger.warn({ event: 'coverage.failed', ...errorFields(error) }, 'coverage not sampled');
    }
  }
}
