import type { Reachable } from './socket-client.js';

/** The admin's account requests, as the console sends them (same origin, JSON, the session cookie). */
export function accountRequests(server: Reachable, cookie: string) {
  const send = async (method: string, path: string, body?: unknown, origin = server.url) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as { error?: { code: string }; [key: string]: unknown } | null };
  };
  return {
    send,
    list: () => send('GET', '/api/accounts'),
    add: (account: Record<string, unknown>) => send('POST', '/api/accounts', account),
    edit: (id: string, fields: Record<string, unknown>) => send('PUT', `/api/accounts/${id}`, fields),
    resetPassword: (id: string, password: string) => send('PUT', `/api/accounts/${id}/password`, { password }),
    remove: (id: string) => send('DELETE', `/api/accounts/${id}`),
  };
}

/** An operator account as the console's form sends it. */
export const NEW_OPERATOR = {
  id: 'noor',
  name: 'Noor',
  role: 'operator',
  lines: ['1712'],
  languages: ['nl'],
  topics: ['violence'],
  capacity: 2,
  password: 'a long first passphrase',
} as const;

/** What an edit sends: everything but the id and the password. */
export const { id: _id, password: _password, ...NEW_OPERATOR_FIELDS } = NEW_OPERATOR;
