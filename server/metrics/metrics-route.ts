import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from '../http/errors.js';
import type { QuietlineMetrics } from './metrics.js';

/** The Prometheus text of this node's metrics. */
export function metricsHandler(metrics: QuietlineMetrics): RequestHandler {
  return (_req, res, next) => {
    metrics.registry.metrics().then((text) => {
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.send(text);
    }, next);
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * /metrics on the main port needs `Authorization: Bearer <METRICS_TOKEN>` (compared in
 * constant time). On its own port (METRICS_PORT) the network decides who may read it, and
 * the token, if set, is asked for too.
 */
export function requireBearer(token: string | null): RequestHandler {
  const expected = token === null ? null : digest(token);
  return (req, res, next) => {
    if (expected === null) return next();
    const given = /^Bearer (.+)$/.exec(req.header('authorization') ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    sendError(res, 'ERR_UNAUTHENTICATED');
  };
}
