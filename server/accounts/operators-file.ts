import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/lines-config.js';
import { operatorAccountSchema, type OperatorAccount } from './account.js';
import type { AccountDirectory } from './directory.js';

/** The operators file: `{"operators": [account, …]}`, for a node that runs without Redis. */
const operatorsFileSchema = z.strictObject({ operators: z.array(operatorAccountSchema) });

/**
 * The file as a directory. Reads look the file up on each call, so a change written by
 * `npm run operators` applies without a restart, but parse it again only when it changed
 * (writes replace it by renaming). Writes from this process are made one at a time, each
 * reading the file afresh, so two admins' changes never overwrite each other.
 */
export function fileDirectory(path: string): AccountDirectory {
  let cached: { version: string; accounts: OperatorAccount[] } | null = null;
  let writes: Promise<unknown> = Promise.resolve();

  const current = async (): Promise<OperatorAccount[]> => {
    let version = 'missing';
    try {
      const s = await stat(path);
      version = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (cached?.version !== version) cached = { version, accounts: await readOperatorsFile(path) };
    return cached.accounts;
  };

  /** Run `change` on a fresh copy of the accounts; write them back if it says so. */
  const update = (change: (accounts: OperatorAccount[]) => OperatorAccount[] | null): Promise<boolean> => {
    const done = writes.then(async () => {
      const next = change([...(await readOperatorsFile(path))]);
      if (!next) return false;
      await writeOperatorsFile(path, next);
      cached = null;
      return true;
    });
    writes = done.catch(() => undefined);
    return done;
  };

  return {
    where: path,
    find: async (id) => (await current()).find((a) => a.id === id),
    list: async () => [...(await current())],
    create: (account) => update((accounts) => (accounts.some((a) => a.id === account.id) ? null : [...accounts, account])),
    replace: (account) =>
      update((accounts) => {
        const i = accounts.findIndex((a) => a.id === account.id);
        return i < 0 ? null : accounts.with(i, account);
      }),
    remove: (id) => update((accounts) => (accounts.some((a) => a.id === id) ? accounts.filter((a) => a.id !== id) : null)),
  };
}

export async function readOperatorsFile(path: string): Promise<OperatorAccount[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = operatorsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data.operators;
}

/** Write atomically (temp file + rename), readable by the owner only. */
export async function writeOperatorsFile(path: string, accounts: readonly OperatorAccount[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ operators: accounts }, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
