import { Router } from 'express';
import type { LinesResponse, PublicLine } from '../../protocol/http.js';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config/app-config.js';
import { isOpen } from '../routing/opening-hours.js';

/** Public line descriptions with `open` computed now: what the widget needs before asking. */
export function linesRoute(config: AppConfig, clock: Clock): Router {
  const router = Router();
  router.get('/', (_req, res) => {
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
      alternatives: line.alternatives,
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
