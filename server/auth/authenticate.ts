import type { OperatorAccount } from '../accounts/account.js';
import type { OperatorDirectory } from '../accounts/directory.js';
import { credentialOf, type Sessions } from './sessions.js';

export type Authentication =
  | { ok: true; account: OperatorAccount }
  | { ok: false; code: 'ERR_UNAUTHENTICATED' | 'ERR_SESSION_EXPIRED' };

/**
 * Who holds this session cookie, checked against the accounts as they are now: a session
 * ends when it times out, when its account is removed, or when its password is changed.
 */
export async function authenticate(sessions: Sessions, directory: OperatorDirectory, token: string | undefined): Promise<Authentication> {
  const check = await sessions.check(token);
  if (!check.ok) return { ok: false, code: check.reason === 'missing' ? 'ERR_UNAUTHENTICATED' : 'ERR_SESSION_EXPIRED' };
  const account = await directory.find(check.session.operatorId);
  if (!account || credentialOf(account.passwordHash) !== check.session.credential) {
    await sessions.destroy(token);
    return { ok: false, code: 'ERR_SESSION_EXPIRED' };
  }
  return { ok: true, account };
}
