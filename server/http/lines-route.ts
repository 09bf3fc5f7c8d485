import { Router } from 'express';
import type { LinesResponse, PublicLine } from '../../protocol/http.js';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config/app-config.js';
import { languagesOnDuty } from '../routing/availability.js';
import { isOpen } from '../routing/opening-hours.js';
import type { OperatorPresence } from '../routing/types.js';
import type { Store } from '../store/store.js';

/**
 * Public line descriptions with `open` and `languagesNow` computed now: what the widget needs
 * before asking. Who is on duty comes from the store, so every node answers alike.
 */
export function linesRoute(config: AppConfig, clock: Clock, store: Pick<Store, 'listPresence'>): Router {
  const router = Router();
  // Requests arriving together share one presence read: a burst of page loads costs the
  // store one read at a time, not one each.
  let reading: Promise<OperatorPresence[] | null> | null = null;
  const presence = () =>
    (reading ??= store
      .listPresence()
      // The store is away: nobody can be said to be on duty, but the lines (with the
      // emergency number and the alternatives) are still served from the configuration.
      .catch(() => null)
      .finally(() => (reading = null)));

  router.get('/', async (_req, res) => {
    const operators = await presence();
    const now = clock.now();
    const lines: PublicLine[] = config.lines.lines.map((line) => ({
      id: line.id,
      name: line.name,
      family: line.family,
      languages: line.languages,
      topics: line.topics,
      phone: line.phone,
      timezone: line.timezone,
      hours: line.hours,
      open:
        config.ignoreHours ||
        isOpen({ timezone: line.timezone, hours: line.hours, holidays: config.lines.holidays }, now),
      languagesNow: operators ? languagesOnDuty(line, operators) : [],
      alternatives: line.alternatives,
      alternativesAfterSeconds: line.alternativesAfterSeconds,
    }));
    const body: LinesResponse = {
      lines,
      emergency: config.lines.emergency,
      exitUrl: config.lines.exitUrl,
      reconnectGraceSeconds: Math.floor(config.reconnectGraceMs / 1000),
    };
    res.json(body);
  });
  return router;
}
