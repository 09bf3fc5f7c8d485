import {
  ACCOUNTS_PATH,
  accountPasswordPath,
  accountPath,
  type AccountFields,
  type AccountResponse,
  type AccountsResponse,
  type NewAccountRequest,
} from '../../protocol/accounts.js';
import type { OperatorId } from '../../protocol/ids.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { call, type ApiResult } from '../api.js';

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
