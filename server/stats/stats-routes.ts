import express, { type Router } from 'express';
import { PATHS, type StaffingResponse } from '../../protocol/http.js';
import { authenticate } from '../auth/authenticate.js';
import { supervises } from '../accounts/account.js';
import type { OperatorDirectory } from '../accounts/directory.js';
import type { Sessions } from '../auth/sessions.js';
import { sendError } from '../http/errors.js';
import { sessionCookie } from '../http/session-route.js';
import type { RelayContext } from '../relay/relay-context.js';
import { dayStart } from './aggregates.js';
import { aggregatesCsv } from './export-csv.js';
import { STAFFING_WEEKS, staffingEstimate } from './staffing.js';

export const STATS_PATHS = { export: PATHS.statsExport, staffing: PATHS.statsStaffing } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range one export covers: the longest retention the settings allow. */
const MAX_DAYS = 3660;

/** A real calendar date "YYYY-MM-DD" (not 2026-02-30, not 2026-13-01). */
function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const parsed = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}


/**
 * GET /api/stats/export?from=YYYY-MM-DD&to=YYYY-MM-DD: the anonymous aggregates of those
 * local days (both included) as CSV, for a signed-in supervisor or admin; an operator gets
 * 403 ERR_FORBIDDEN.
 */
export function statsRoutes(ctx: RelayContext, sessions: Sessions, directory: OperatorDirectory): Router {
  const router = express.Router();
  router.get(STATS_PATHS.export, (req, res, next) => {
    void (async () => {
      const auth = await authenticate(sessions, directory, sessionCookie(req));
      if (!auth.ok) return sendError(res, 'ERR_UNAUTHENTICATED');
      if (!supervises(auth.account.role)) return sendError(res, 'ERR_FORBIDDEN');
      const { from, to } = req.query;
      if (!isDate(from) || !isDate(to) || from > to) return sendError(res, 'ERR_BAD_REQUEST');
      const tz = ctx.config.lines.timezone;
      // Noon of each date is safely inside it; its local midnight starts the day.
      const start = dayStart(Date.parse(`${from}T12:00:00Z`), tz);
      const end = dayStart(Date.parse(`${to}T12:00:00Z`) + 24 * 3600_000, tz);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end - start > MAX_DAYS * 24 * 3600_000) return sendError(res, 'ERR_BAD_REQUEST');
      const buckets = (await ctx.store.aggregatesSince(start)).filter((b) => Date.parse(b.start) < end);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="quietline-${from}-to-${to}.csv"`);
      res.send(aggregatesCsv(buckets, ctx.config.lines));
      ctx.logger.info({ event: 'stats.exported', operator: auth.account.id, count: buckets.length }, 'statistics exported');
    })().catch(next);
  });
  // GET /api/stats/staffing: per queue and hour of the week, the operators needed (Erlang C)
  // beside those on duty, from the last four weeks; supervisors and admins only.
  router.get(STATS_PATHS.staffing, (req, res, next) => {
    void (async () => {
      const auth = await authenticate(sessions, directory, sessionCookie(req));
      if (!auth.ok) return sendError(res, 'ERR_UNAUTHENTICATED');
      if (!supervises(auth.account.role)) return sendError(res, 'ERR_FORBIDDEN');
      const now = ctx.clock.now();
      const tz = ctx.config.lines.timezone;
      // Whole local days: from midnight four weeks ago to midnight today.
      const today = dayStart(now, tz);
      const from = dayStart(today - STAFFING_WEEKS * 7 * 24 * 3600_000 + 12 * 3600_000, tz);
      const buckets = (await ctx.store.aggregatesSince(from)).filter((b) => Date.parse(b.start) < today);
      res.json({ weeks: STAFFING_WEEKS, from: new Date(from).toISOString(), to: new Date(today).toISOString(), rows: staffingEstimate(buckets, ctx.config.lines, { from, to: today }) } satisfies StaffingResponse);
    })().catch(next);
  });
  return router;
}
