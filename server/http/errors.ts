import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ERRORS, type ErrorCode } from '../../protocol/errors.js';
import { errorFields } from '../logging.js';

/** Where an app counts the errors it sends (for /metrics): set on `app.locals` by createApp. */
export const COUNT_ERROR = 'countError';

/** Every HTTP error leaves as `{error: {code, message}}` with the registry's status. */
export function sendError(res: Response, code: ErrorCode): void {
  (res.app?.locals[COUNT_ERROR] as ((code: ErrorCode) => void) | undefined)?.(code);
  res.status(ERRORS[code].status).json({ error: { code, message: ERRORS[code].message } });
}

/**
 * The one boundary for the unexpected: a generic error out, the error's name in the log —
 * never a stack, an address or the payload.
 */
export function errorBoundary(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return sendError(res, 'ERR_FRAME_TOO_LARGE');
    if (e.type === 'entity.parse.failed' || e.status === 400) return sendError(res, 'ERR_BAD_REQUEST');
    logger.error({ event: 'http.failed', ...errorFields(error) }, 'request failed');
    sendError(res, 'ERR_INTERNAL');
  };
}
