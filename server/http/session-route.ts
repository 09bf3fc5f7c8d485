import { Router, type Request } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { AddressKeyer } from '../abuse/address-key.js';
import { authenticate } from '../auth/authenticate.js';
import { operatorProfile } from '../accounts/account.js';
import type { OperatorDirectory } from '../accounts/directory.js';
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
  /** Told when a session signs out, so its open consoles close at once. */
  signedOut: (token: string) => void;
}

/** POST signs in, GET says who is signed in, DELETE signs out. */
export function sessionRoute({ config, sessions, directory, addresses, logger, signedOut }: SessionRouteDeps): Router {
  const router = Router();
  // Guessing from one place is slowed per address and per address × account; guessing one
  // account from many places by a looser per-account limit, loose so that a stranger's
  // wrong guesses cannot easily lock an operator out of their shift. Only failures count:
  // each attempt reserves a point up front (so parallel guesses cannot slip through) and a
  // success gives it back, so a team behind one address can sign in as often as it needs.
  const byAddress = new RateLimiterMemory({ points: 30, duration: 15 * 60 });
  const byAddressAndAccount = new RateLimiterMemory({ points: 8, duration: 15 * 60 });
  const byAccount = new RateLimiterMemory({ points: 100, duration: 60 * 60 });

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
    const address = addresses.keyFor(requestAddress(req, config.trustProxyHops));
    try {
      await Promise.all([byAddress.consume(address), byAddressAndAccount.consume(`${address}:${id}`), byAccount.consume(id)]);
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
    await Promise.all([byAddress.reward(address, 1), byAccount.reward(id, 1), byAddressAndAccount.delete(`${address}:${id}`)]);
    const token = await sessions.create(account.id, account.passwordHash);
    res.setHeader('Set-Cookie', cookie(token));
    logger.info({ event: 'signin.ok', operator: account.id }, 'signed in');
    res.status(200).json({ operator: operatorProfile(account) });
  });

  router.get('/', async (req, res) => {
    const auth = await authenticate(sessions, directory, sessionCookie(req));
    if (!auth.ok) return sendError(res, auth.code);
    res.json({ operator: operatorProfile(auth.account) });
  });

  router.delete('/', async (req, res) => {
    const token = sessionCookie(req);
    await sessions.destroy(token);
    if (token) signedOut(token);
    res.setHeader('Set-Cookie', cookie('', 0));
    res.status(204).end();
  });

  return router;
}
