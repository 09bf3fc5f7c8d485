import express, { type Request, type Response, type Router } from 'express';
import { ACCOUNTS_PATH, passwordResetRequestSchema, type AccountResponse, type AccountsResponse } from '../../protocol/accounts.js';
import { idSchema } from '../../protocol/ids.js';
import { authenticate } from '../auth/authenticate.js';
import { selfOrigin } from '../auth/request-address.js';
import type { Sessions } from '../auth/sessions.js';
import type { AppConfig } from '../config/app-config.js';
import { sendError } from '../http/errors.js';
import { sessionCookie } from '../http/session-route.js';
import type { Logger } from '../logging.js';
import { StoreUnavailableError } from '../store/store.js';
import { operatorProfile, type OperatorAccount } from './account.js';
import type { AccountAdmin, AccountResult } from './account-admin.js';
import type { OperatorDirectory } from './directory.js';

interface AccountRoutesDeps {
  config: AppConfig;
  sessions: Sessions;
  directory: OperatorDirectory;
  admin: AccountAdmin;
  logger: Logger;
}

type Handler = (req: Request, res: Response, by: OperatorAccount) => Promise<void>;

/**
 * The admin's account requests (protocol/accounts.ts). Each one is checked for a session of
 * the admin role as the accounts are now, and a change must come from this site's own pages.
 * The log says which account changed and which admin changed it, never anything else.
 */
export function accountRoutes({ config, sessions, directory, admin, logger }: AccountRoutesDeps): Router {
  const router = express.Router();

  const asAdmin = (handle: Handler) => (req: Request, res: Response, next: (error: unknown) => void) => {
    void (async () => {
      if (req.method !== 'GET') {
        const origin = req.headers.origin;
        if (origin && origin !== selfOrigin(req, config.trustProxyHops)) return sendError(res, 'ERR_ORIGIN_NOT_ALLOWED');
      }
      const auth = await authenticate(sessions, directory, sessionCookie(req));
      if (!auth.ok) return sendError(res, auth.code);
      if (auth.account.role !== 'admin') return sendError(res, 'ERR_FORBIDDEN');
      await handle(req, res, auth.account);
    })().catch((error: unknown) => (error instanceof StoreUnavailableError ? sendError(res, 'ERR_UNAVAILABLE') : next(error)));
  };

  /** The :id of the path, if it is an id at all. */
  const idOf = (req: Request): string | null => {
    const parsed = idSchema.safeParse(req.params.id);
    return parsed.success ? parsed.data : null;
  };

  const answer = <T>(res: Response, result: AccountResult<T>, send: (value: T) => void): void => {
    if (!result.ok) return sendError(res, result.code);
    send(result.value);
  };

  const logged = (event: string, operator: string, by: OperatorAccount) => logger.info({ event, operator, by: by.id }, event);

  router.get(ACCOUNTS_PATH, asAdmin(async (_req, res) => {
    const accounts = await admin.list();
    res.json({ accounts: accounts.map(operatorProfile) } satisfies AccountsResponse);
  }));

  router.post(ACCOUNTS_PATH, asAdmin(async (req, res, by) => {
    const result = await admin.add(req.body);
    answer(res, result, (account) => {
      logged('account.added', account.id, by);
      res.status(201).json({ account: operatorProfile(account) } satisfies AccountResponse);
    });
  }));

  router.put(`${ACCOUNTS_PATH}/:id`, asAdmin(async (req, res, by) => {
    const id = idOf(req);
    if (!id) return sendError(res, 'ERR_NOT_FOUND');
    answer(res, await admin.edit(id, req.body, by.id), (account) => {
      logged('account.edited', id, by);
      res.json({ account: operatorProfile(account) } satisfies AccountResponse);
    });
  }));

  router.put(`${ACCOUNTS_PATH}/:id/password`, asAdmin(async (req, res, by) => {
    const id = idOf(req);
    if (!id) return sendError(res, 'ERR_NOT_FOUND');
    const parsed = passwordResetRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 'ERR_BAD_REQUEST');
    answer(res, await admin.resetPassword(id, parsed.data.password), () => {
      logged('account.password-reset', id, by);
      res.status(204).end();
    });
  }));

  router.delete(`${ACCOUNTS_PATH}/:id`, asAdmin(async (req, res, by) => {
    const id = idOf(req);
    if (!id) return sendError(res, 'ERR_NOT_FOUND');
    answer(res, await admin.remove(id, by.id), () => {
      logged('account.removed', id, by);
      res.status(204).end();
    });
  }));

  return router;
}
