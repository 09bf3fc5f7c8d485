import { z } from 'zod';
import { MAX_CAPACITY, MAX_NAME_LENGTH, type Role } from '../../protocol/accounts.js';
import { idSchema, languageSchema } from '../../protocol/ids.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { ConfigError, type LinesConfig } from '../config/lines-config.js';
import { isPasswordHash } from '../auth/password.js';

export type { Role } from '../../protocol/accounts.js';

/** Operator accounts: who they are, what they handle, and a password hash — nothing else. */
export const roleSchema = z.enum(['operator', 'supervisor', 'admin']) satisfies z.ZodType<Role>;

/** Whether a role sees the supervisors' live figures, the export and the staffing estimate. */
export function supervises(role: Role): boolean {
  return role === 'supervisor' || role === 'admin';
}

export const operatorAccountSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(MAX_NAME_LENGTH),
  role: roleSchema,
  lines: z.array(idSchema),
  languages: z.array(languageSchema),
  topics: z.array(idSchema),
  capacity: z.number().int().min(1).max(MAX_CAPACITY),
  passwordHash: z.string().refine(isPasswordHash, 'a scrypt hash written by `npm run operators`'),
});
export type OperatorAccount = z.infer<typeof operatorAccountSchema>;

/** What an account shows of itself to its console: everything but the password hash. */
export function operatorProfile(account: OperatorAccount): OperatorProfile {
  const { passwordHash: _hidden, ...profile } = account;
  return profile;
}

/** The first line or topic an account names that the lines file does not know, if any. */
export function unknownSkill(account: Pick<OperatorAccount, 'lines' | 'topics'>, lines: LinesConfig): string | null {
  const line = account.lines.find((id) => !lines.lines.some((l) => l.id === id));
  if (line !== undefined) return `unknown line "${line}"`;
  const topic = account.topics.find((id) => !lines.topics.includes(id));
  return topic === undefined ? null : `unknown topic "${topic}"`;
}

/** Every line and topic an account names must exist: a typo would route nothing to them. */
export function checkAccountsAgainstLines(accounts: ReadonlyArray<Pick<OperatorAccount, 'lines' | 'topics'>>, lines: LinesConfig, source: string): void {
  accounts.forEach((account, i) => {
    const problem = unknownSkill(account, lines);
    if (problem) throw new ConfigError(`${source}: operators[${i}]: ${problem}`);
  });
}

/** An account as a store kept it (JSON); undefined when it no longer parses. */
export function parseAccount(json: string): OperatorAccount | undefined {
  try {
    const parsed = operatorAccountSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
