import {
  ACCOUNTS_PATH,
  accountPasswordPath,
  accountPath,
  type AccountFields,
  type AccountResponse,
  type AccountsResponse,
  type NewAccountRequest,
} from '../../protocol/accounts.js';
import { isErrorCode } from '../../protocol/errors.js';
import type { OperatorId } from '../../protocol/ids.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import type { ApiResult } from '../api.js';

/** The admin's account requests (protocol/accounts.ts), answered as the console's ApiResult. */
export function listAccounts(): Promise<ApiResult<OperatorProfile[]>> {
  return call(ACCOUNTS_PATH, { method: 'GET' }, (body) => (body as AccountsResponse).accounts);
}

export function createAccount(request: NewAccountRequest): Promise<ApiResult<OperatorProfile>> {
  return call(ACCOUNTS_PATH, send('POST', request), (body) => (body as AccountResponse).account);
}

export function updateAccount(id: OperatorId, fields: AccountFields): Promise<ApiResult<OperatorProfile>> {
  return call(accountPath(id), send('PUT', fields), (body) => (body as AccountResponse).account);
}

export function resetPassword(id: OperatorId, password: string): Promise<ApiResult<null>> {
  return call(accountPasswordPath(id), send('PUT', { password }), () => null);
}

export function removeAccount(id: OperatorId): Promise<ApiResult<null>> {
  return call(accountPath(id), { method: 'DELETE' }, () => null);
}

function send(method: 'POST' | 'PUT', body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) };
}

/**
 * The same rules as api.ts's own helper (which it does not export): the session cookie goes
 * along, nothing is cached, and an error is known only by its registry code.
 */
async function call<T>(path: string, init: RequestInit, read: (body: unknown) => T): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    return { ok: false, code: 'network' };
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: read(body) };
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return { ok: false, code: isErrorCode(code) ? code : 'ERR_INTERNAL' };
}
