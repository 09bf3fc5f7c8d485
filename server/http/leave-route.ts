import express, { Router } from 'express';
import { z } from 'zod';
import type { VisitorChats } from '../relay/visitor-chats.js';
import { sendError } from './errors.js';

const leaveSchema = z.strictObject({ token: z.string().min(1).max(128), quick: z.boolean() });

/**
 * POST /api/chat/leave — the widget's fallback when its socket is down as the visitor ends
 * or quick-exits. Sent with navigator.sendBeacon, which outlives the page and may only
 * carry text/plain without a preflight; the resume token, a secret only that widget holds,
 * is the authority. While the store is away the leave is accepted (202) and done when it is
 * back: a visitor who quick-exits during an outage must not have to try again.
 */
export function leaveRoute(visitors: VisitorChats): Router {
  const router = Router();
  router.post('/', express.text({ type: 'text/plain', limit: '1kb' }), async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return sendError(res, 'ERR_BAD_REQUEST');
    }
    const parsed = leaveSchema.safeParse(body);
    if (!parsed.success) return sendError(res, 'ERR_BAD_REQUEST');
    const outcome = await visitors.leaveByToken(parsed.data.token, parsed.data.quick);
    if (outcome === 'unknown') return sendError(res, 'ERR_RESUME_FAILED');
    // 202: the store is away; the chat is ended (and purged) as soon as it is back.
    res.status(outcome === 'later' ? 202 : 204).end();
  });
  return router;
}
