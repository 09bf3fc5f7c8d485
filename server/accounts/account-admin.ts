import {
  accountFieldsSchema,
  MIN_PASSWORD_LENGTH,
  newAccountRequestSchema,
  type AccountFields,
  type NewAccountRequest,
} from '../../protocol/accounts.js';
import type { OperatorId } from '../../protocol/ids.js';
import { hashPassword, OWASP_SCRYPT, type ScryptParams } from '../auth/password.js';
import type { LinesConfig } from '../config/lines-config.js';
import { unknownSkill, type OperatorAccount } from './account.js';
import type { AccountDirectory } from './directory.js';

export type AccountRefusal = 'ERR_BAD_REQUEST' | 'ERR_WEAK_PASSWORD' | 'ERR_NOT_FOUND' | 'ERR_ACCOUNT_EXISTS' | 'ERR_OWN_ACCOUNT';

/** `detail` says what was wrong, in English, for the command line; HTTP sends the code only. */
export type AccountResult<T> = { ok: true; value: T } | { ok: false; code: AccountRefusal; detail: string };

const refuse = (code: AccountRefusal, detail: string): { ok: false; code: AccountRefusal; detail: string } => ({ ok: false, code, detail });

function firstProblem(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error!.issues[0]!;
  return `${issue.path.map(String).join('.')}: ${issue.message}`;
}

/**
 * Adding, editing, resetting and removing accounts: the one set of rules for the admin's
 * console (account-routes.ts) and `npm run operators`. Every change is announced (`changed`),
 * so each node re-checks that operator's open consoles at once.
 */
export class AccountAdmin {
  constructor(
    private readonly directory: AccountDirectory,
    private readonly lines: LinesConfig,
    private readonly changed: (operator: OperatorId) => Promise<void>,
    private readonly hashing: ScryptParams = OWASP_SCRYPT,
  ) {}

  list(): Promise<OperatorAccount[]> {
    return this.directory.list();
  }

  /** The fields alone, before a password is asked for (the command line asks only then). */
  checkFields(fields: unknown): AccountResult<AccountFields> {
    const problem = firstProblem(accountFieldsSchema, fields);
    if (problem) return refuse('ERR_BAD_REQUEST', problem);
    const parsed = accountFieldsSchema.parse(fields);
    const unknown = unknownSkill(parsed, this.lines);
    if (unknown) return refuse('ERR_BAD_REQUEST', unknown);
    return { ok: true, value: parsed };
  }

  checkPassword(password: string): AccountResult<string> {
    if (password.length < MIN_PASSWORD_LENGTH) return refuse('ERR_WEAK_PASSWORD', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    return { ok: true, value: password };
  }

  async add(request: NewAccountRequest): Promise<AccountResult<OperatorAccount>> {
    const problem = firstProblem(newAccountRequestSchema, request);
    if (problem) return refuse('ERR_BAD_REQUEST', problem);
    const { id, password, ...rest } = newAccountRequestSchema.parse(request);
    const fields = this.checkFields(rest);
    if (!fields.ok) return fields;
    const strong = this.checkPassword(password);
    if (!strong.ok) return strong;
    if (await this.directory.find(id)) return refuse('ERR_ACCOUNT_EXISTS', `"${id}" exists already`);
    const account: OperatorAccount = { id, ...fields.value, passwordHash: await hashPassword(password, this.hashing) };
    if (!(await this.directory.create(account))) return refuse('ERR_ACCOUNT_EXISTS', `"${id}" exists already`);
    await this.changed(id);
    return { ok: true, value: account };
  }

  /** Everything but the id and password; `by` is the admin doing it, who may not demote themselves. */
  async edit(id: OperatorId, change: unknown, by?: OperatorId): Promise<AccountResult<OperatorAccount>> {
    const fields = this.checkFields(change);
    if (!fields.ok) return fields;
    const current = await this.directory.find(id);
    if (!current) return refuse('ERR_NOT_FOUND', `no account "${id}"`);
    if (by === id && current.role === 'admin' && fields.value.role !== 'admin') return refuse('ERR_OWN_ACCOUNT', 'you cannot take away your own admin role');
    const account: OperatorAccount = { ...current, ...fields.value };
    if (!(await this.directory.replace(account))) return refuse('ERR_NOT_FOUND', `no account "${id}"`);
    await this.changed(id);
    return { ok: true, value: account };
  }

  /** A new password ends the account's sessions everywhere (their credential no longer matches). */
  async resetPassword(id: OperatorId, password: string): Promise<AccountResult<OperatorAccount>> {
    const strong = this.checkPassword(password);
    if (!strong.ok) return strong;
    const current = await this.directory.find(id);
    if (!current) return refuse('ERR_NOT_FOUND', `no account "${id}"`);
    const account = { ...current, passwordHash: await hashPassword(password, this.hashing) };
    if (!(await this.directory.replace(account))) return refuse('ERR_NOT_FOUND', `no account "${id}"`);
    await this.changed(id);
    return { ok: true, value: account };
  }

  async remove(id: OperatorId, by?: OperatorId): Promise<AccountResult<null>> {
    if (by === id) return refuse('ERR_OWN_ACCOUNT', 'you cannot remove your own account');
    if (!(await this.directory.remove(id))) return refuse('ERR_NOT_FOUND', `no account "${id}"`);
    await this.changed(id);
    return { ok: true, value: null };
  }
}
