import type { OperatorId } from '../../protocol/ids.js';
import type { Store } from '../store/store.js';
import type { OperatorAccount } from './account.js';

/** Where sign-in and every session check look an account up. */
export interface OperatorDirectory {
  find(id: OperatorId): Promise<OperatorAccount | undefined>;
}

/**
 * The accounts themselves, read and written: by the admin's console (account-routes.ts) and
 * by `npm run operators`, always through the same directory (open-directory.ts decides which).
 */
export interface AccountDirectory extends OperatorDirectory {
  /** Where the accounts are kept, for messages: "Redis" or the operators file's path. */
  readonly where: string;
  list(): Promise<OperatorAccount[]>;
  /** False when the id is taken. */
  create(account: OperatorAccount): Promise<boolean>;
  /** False when there is no account with this id. */
  replace(account: OperatorAccount): Promise<boolean>;
  /** False when there was no account with this id. */
  remove(id: OperatorId): Promise<boolean>;
}

/** Accounts in the store: Redis, shared by every node; or memory, for the demo and tests. */
export function storeDirectory(store: Store, where: string): AccountDirectory {
  return {
    where,
    find: (id) => store.getAccount(id),
    list: () => store.listAccounts(),
    create: (account) => store.putAccount(account, 'create'),
    replace: (account) => store.putAccount(account, 'replace'),
    remove: (id) => store.deleteAccount(id),
  };
}

/** Put accounts in the store unless their ids are taken (tests, benchmarks: every node seeds the same). */
export async function seededDirectory(store: Store, accounts: readonly OperatorAccount[]): Promise<AccountDirectory> {
  const directory = storeDirectory(store, 'memory');
  for (const account of accounts) await directory.create(account);
  return directory;
}

/**
 * Accounts in this process only: the demo's. Never in a shared store, so a demo started
 * against a real Redis leaves no account there (its passwords were printed to a terminal).
 */
export function processDirectory(accounts: readonly OperatorAccount[]): AccountDirectory {
  const byId = new Map(accounts.map((a) => [a.id, structuredClone(a)]));
  return {
    where: 'memory',
    find: async (id) => structuredClone(byId.get(id)),
    list: async () => [...byId.values()].map((a) => structuredClone(a)),
    create: async (account) => !byId.has(account.id) && Boolean(byId.set(account.id, structuredClone(account))),
    replace: async (account) => byId.has(account.id) && Boolean(byId.set(account.id, structuredClone(account))),
    remove: async (id) => byId.delete(id),
  };
}
