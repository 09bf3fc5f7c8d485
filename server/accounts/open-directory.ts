import type { LinesConfig } from '../config/lines-config.js';
import type { SharedState } from '../shared-state.js';
import { checkAccountsAgainstLines } from './account.js';
import { storeDirectory, type AccountDirectory } from './directory.js';
import { fileDirectory, readOperatorsFile } from './operators-file.js';

export interface OpenedAccounts {
  directory: AccountDirectory;
  /** Accounts copied from the operators file into an empty Redis at this start. */
  imported: number;
}

/**
 * Where the accounts live, for the server and `npm run operators` alike. With Redis they are
 * in Redis, shared by every node, and a change reaches each of them at once; the first time
 * Redis holds no account at all, the operators file's accounts (if any) are copied in, and
 * the file is not read again. Without Redis (one node) they are the operators file.
 * Either way, every line and topic an account names must be in the lines file.
 */
export async function openAccounts(shared: Pick<SharedState, 'kind' | 'store'>, file: string, lines: LinesConfig): Promise<OpenedAccounts> {
  if (shared.kind === 'memory') {
    checkAccountsAgainstLines(await readOperatorsFile(file), lines, file);
    return { directory: fileDirectory(file), imported: 0 };
  }
  const directory = storeDirectory(shared.store, 'Redis');
  const held = await directory.list();
  checkAccountsAgainstLines(held, lines, 'Redis accounts');
  if (held.length > 0) return { directory, imported: 0 };
  const fromFile = await readOperatorsFile(file);
  checkAccountsAgainstLines(fromFile, lines, file);
  let imported = 0;
  for (const account of fromFile) if (await directory.create(account)) imported += 1;
  return { directory, imported };
}
