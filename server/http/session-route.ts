import { Router, type Request } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { AddressKeyer } from '../abuse/address-key.js';
import type { OperatorDirectory } from '../auth/operators-file.js';
import { OWASP_SCRYPT, verifyPassword } from '../auth/password.js';
import { requestAddress, selfOrigin } from '../auth/request-address.js';
import { SESSION_COOKIE, type Sessions } from '../auth/sessions.js';
import type { AppConfig } from '../config/app-config.js';
import type { Logger } from '../logging.js';
import { sendError } from './errors.js';

const signInSchema = z.strictObject({ id: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

/**
 * A dummy hash with the parameters real hashes are made with (OWASP_SCRYPT), so an unknown
 * account costs as much time as a wrong password and timing does not reveal which ids exist.
 */
const TIMING_DECOY = `scrypt$${OWASP_SCRYPT.N}$${OWASP_SCRYPT.r}$${OWASP_SCRYPT.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

export function sessionCookie(req: Request): string | undefined {
  return parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
}

interface SessionRouteDeps {
  config: AppConfig;
  sessions: Sessions;
  directory: OperatorDirectory;
  addresses: AddressKeyer;
  logger: Logger;
}

/** POST signs in, GET says who is signed in, DELETE signs out. */
export function sessionRoute({ config, sessions, directory, addresses, logger }: SessionRouteDeps): Router {
  const router = Router();
  // Per address and per account: guessing one password from many places, or many from one.
  const byAddress = new RateLimiterMemory({ points: 20, duration: 15 * 60 });
  const byAccount = new RateLimiterMemory({ points: 8, duration: 15 * 60 });

  const cookie = (value: string, maxAge?: number) =>
    serialize(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.cookieSecure,
      path: '/',
      ...(maxAge !== undefined ? { maxAge } : {}),
    });

  router.post('/', async (req, res) => {
    // SameSite=Strict plus this check: a sign-in form posted from another site is refused.
    const origin = req.headers.origin;
    if (origin && origin !== selfOrigin(req, config.trustProxyHops)) return sendError(res, 'ERR_ORIGIN_NOT_ALLOWED');
    const parsed = signInSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, 'ERR_BAD_REQUEST');
    const { id, password } = parsed.data;
    try {
      await Promise.all([
        byAddress.consume(addresses.keyFor(requestAddress(req, config.trustProxyHops))),
        byAccount.consume(id),
      ]);
    } catch {
      logger.warn({ event: 'signin.limited', code: 'ERR_TOO_MANY_ATTEMPTS' }, 'sign-in rate limited');
      return sendError(res, 'ERR_TOO_MANY_ATTEMPTS');
    }
    const account = await directory.find(id);
    const valid = await verifyPassword(password, account?.passwordHash ?? TIMING_DECOY);
    if (!account || !valid) {
      logger.info({ event: 'signin.failed', code: 'ERR_SIGNIN_FAILED' }, 'sign-in failed');
      return sendError(res, 'ERR_SIGNIN_FAILED');
    }
    await byAccount.delete(id);
    const token = await sessions.create(account.id);
    res.setHeader('Set-Cookie', cookie(token));
    logger.info({ event: 'signin.ok', operator: account.id }, 'signed in');
    res.status(200).json({ operator: profile(account) });
  });

  router.get('/', async (req, res) => {
    const check = await sessions.check(sessionCookie(req));
    if (!check.ok) return sendError(res, check.reason === 'missing' ? 'ERR_UNAUTHENTICATED' : 'ERR_SESSION_EXPIRED');
    const account = await directory.find(check.session.operatorId);
    if (!account) return sendError(res, 'ERR_UNAUTHENTICATED');
    res.json({ operator: profile(account) });
  });

  router.delete('/', async (req, res) => {
    await sessions.destroy(sessionCookie(req));
    res.setHeader('Set-Cookie', cookie('', 0));
    res.status(204).end();
  });

  return router;
}

function profile(a: { id: string; name: string; role: string; lines: string[]; languages: string[]; topics: string[]; capacity: number }) {
  return { id: a.id, name: a.name, role: a.role, lines: a.lines, languages: a.languages, topics: a.topics, capacity: a.capacity };
}
