import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { idSchema, languageSchema } from '../../protocol/ids.js';
import type { OperatorId } from '../../protocol/ids.js';
import { ConfigError } from '../config/lines-config.js';
import { isPasswordHash } from './password.js';

/** Operator accounts: who they are, what they handle, and a password hash — nothing else. */
export const roleSchema = z.enum(['operator', 'supervisor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

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

const operatorsFileSchema = z.strictObject({ operators: z.array(operatorAccountSchema) });

/** Where accounts come from: the operators file, or the in-memory demo accounts. */
export interface OperatorDirectory {
  find(id: OperatorId): Promise<OperatorAccount | undefined>;
}

export function memoryDirectory(accounts: readonly OperatorAccount[]): OperatorDirectory {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return { find: async (id) => byId.get(id) };
}

/** Reads the file on each look-up, so `npm run operators` changes apply without a restart. */
export function fileDirectory(path: string): OperatorDirectory {
  return { find: async (id) => (await readOperatorsFile(path)).find((a) => a.id === id) };
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
