import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { idSchema, languageSchema } from '../../protocol/ids.js';
import type { OperatorId } from '../../protocol/ids.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { ConfigError, type LinesConfig } from '../config/lines-config.js';
import { isPasswordHash } from './password.js';

/** Operator accounts: who they are, what they handle, and a password hash — nothing else. */
export const roleSchema = z.enum(['operator', 'supervisor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** Whether a role sees the supervisors' live figures, the export and the staffing estimate. */
export function supervises(role: Role): boolean {
  return role === 'supervisor' || role === 'admin';
}

export const operatorAccountSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(80),
  role: roleSchema,
  lines: z.array(idSchema),
  languages: z.array(languageSchema),
  topics: z.array(idSchema),
  capacity: z.number().int().min(1).max(10),
  passwordHash: z.string().refine(isPasswordHash, 'a scrypt hash written by `npm run operators`'),
});
export type OperatorAccount = z.infer<typeof operatorAccountSchema>;

/** What an account shows of itself to its console: everything but the password hash. */
export function operatorProfile(account: OperatorAccount): OperatorProfile {
  const { passwordHash: _hidden, ...profile } = account;
  return profile;
}

const operatorsFileSchema = z.strictObject({ operators: z.array(operatorAccountSchema) });

/** Where accounts come from: the operators file, or the in-memory demo accounts. */
export interface OperatorDirectory {
  find(id: OperatorId): Promise<OperatorAccount | undefined>;
}

export function memoryDirectory(accounts: readonly OperatorAccount[]): OperatorDirectory {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return { find: async (id) => byId.get(id) };
}

/**
 * Looks the file up on each call, so `npm run operators` changes apply without a restart,
 * but parses it again only when it changed (the command replaces it by renaming).
 */
export function fileDirectory(path: string): OperatorDirectory {
  let cached: { version: string; accounts: OperatorAccount[] } | null = null;
  return {
    async find(id) {
      let version = 'missing';
      try {
        const s = await stat(path);
        version = `${s.ino}:${s.mtimeMs}:${s.size}`;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (cached?.version !== version) cached = { version, accounts: await readOperatorsFile(path) };
      return cached.accounts.find((a) => a.id === id);
    },
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

/** Every line and topic an account names must exist: a typo would route nothing to them. */
export function checkAccountsAgainstLines(accounts: ReadonlyArray<Pick<OperatorAccount, 'lines' | 'topics'>>, lines: LinesConfig, source: string): void {
  accounts.forEach((account, i) => {
    account.lines.forEach((line, j) => {
      if (!lines.lines.some((l) => l.id === line)) throw new ConfigError(`${source}: operators[${i}].lines[${j}]: unknown line "${line}"`);
    });
    account.topics.forEach((topic, j) => {
      if (!lines.topics.includes(topic)) throw new ConfigError(`${source}: operators[${i}].topics[${j}]: unknown topic "${topic}"`);
    });
  });
}

/** Write atomically (temp file + rename), readable by the owner only. */
export async function writeOperatorsFile(path: string, accounts: readonly OperatorAccount[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ operators: accounts }, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
