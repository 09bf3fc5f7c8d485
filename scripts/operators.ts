/**
 * Manage operator accounts: `npm run operators -- <command>`.
 *
 *   add <id> --name <display name> --role operator|supervisor|admin
 *       --lines <ids> --languages <codes> --topics <ids> [--capacity <n>]
 *   list
 *   remove <id>
 *   passwd <id>
 *   certify <id> [--days <n>] [--out <file>]
 *
 * Passwords are read from standard input (first line), never from arguments, so they stay
 * out of shell history and process lists. The file is config/operators.json unless
 * QUIETLINE_OPERATORS names another; it holds scrypt hashes only.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import {
  checkAccountsAgainstLines,
  operatorAccountSchema,
  readOperatorsFile,
  writeOperatorsFile,
  type OperatorAccount,
} from '../server/auth/operators-file.js';
import { readFile, writeFile } from 'node:fs/promises';
import { certify, newSigningKeyPair, readyIdentity, type OperatorIdentityFile } from '../identity/certificates.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../server/auth/password.js';
import { ConfigError, loadLinesConfig } from '../server/config/lines-config.js';

const file = process.env.QUIETLINE_OPERATORS ?? 'config/operators.json';
const linesFile = process.env.QUIETLINE_LINES ?? 'config/lines.json';

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is shown; pipe it in to hide it): ');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function newPasswordHash(): Promise<string> {
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return hashPassword(password);
}

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

async function add(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string', default: 'operator' },
      lines: { type: 'string' },
      languages: { type: 'string' },
      topics: { type: 'string' },
      capacity: { type: 'string', default: '3' },
    },
  });
  const id = positionals[0];
  if (!id || !values.name) throw new UsageError('add <id> --name <display name> needs an id and a name');
  const accounts = await readOperatorsFile(file);
  if (accounts.some((a) => a.id === id)) throw new UsageError(`"${id}" exists already (use passwd, or remove it first)`);
  const lines = await loadLinesConfig(linesFile);
  const draft = {
    id,
    name: values.name,
    role: values.role,
    lines: list(values.lines),
    languages: list(values.languages),
    topics: list(values.topics),
    capacity: Number(values.capacity),
  };
  checkAccountsAgainstLines([draft], lines, 'add');
  // Check everything but the password first, so a typo costs no password prompt.
  const parsed = operatorAccountSchema.omit({ passwordHash: true }).safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const account: OperatorAccount = { ...parsed.data, passwordHash: await newPasswordHash() };
  await writeOperatorsFile(file, [...accounts, account]);
  process.stdout.write(`added ${id} to ${file}\n`);
}

/**
 * Give an operator a certified identity: a new Ed25519 key pair, its public half signed with
 * the organisation's secret key. The operator loads the file written here into their
 * console; it is their secret, readable by its owner only.
 */
async function certifyOperator(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { days: { type: 'string', default: '365' }, out: { type: 'string' } },
  });
  const id = positionals[0];
  const account = (await readOperatorsFile(file)).find((a) => a.id === id);
  if (!id || !account) throw new UsageError(`no account "${id ?? ''}"`);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 730) throw new UsageError('--days must be 1–730');
  const secretPath = process.env.QUIETLINE_ORG_SECRET_KEY ?? 'config/org-signing-key.secret';
  let orgSecret: string;
  try {
    orgSecret = (await readFile(secretPath, 'utf8')).trim();
  } catch {
    throw new UsageError(`cannot read the organisation's secret key at ${secretPath} (npm run org-key -- create)`);
  }
  await readyIdentity();
  const pair = newSigningKeyPair();
  const certificate = certify(orgSecret, { operator: id, name: account.name, key: pair.publicKey, expires: Date.now() + days * 86_400_000 });
  const identity: OperatorIdentityFile = { type: 'quietline-operator-identity', operator: id, secretKey: pair.secretKey, certificate };
  const out = values.out ?? `${id}.quietline-identity.json`;
  await writeFile(out, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  process.stdout.write(`certified ${id} until ${new Date(certificate.expires).toISOString().slice(0, 10)}: give ${out} to them, privately\n`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'add':
      return add(rest);
    case 'list': {
      const accounts = await readOperatorsFile(file);
      if (accounts.length === 0) process.stdout.write(`no accounts in ${file}\n`);
      for (const a of accounts) {
        process.stdout.write(`${a.id}\t${a.name}\t${a.role}\tlines=${a.lines.join(',')}\tlanguages=${a.languages.join(',')}\ttopics=${a.topics.join(',')}\tcapacity=${a.capacity}\n`);
      }
      return;
    }
    case 'remove': {
      const id = rest[0];
      const accounts = await readOperatorsFile(file);
      if (!id || !accounts.some((a) => a.id === id)) throw new UsageError(`no account "${id ?? ''}"`);
      await writeOperatorsFile(file, accounts.filter((a) => a.id !== id));
      process.stdout.write(`removed ${id}\n`);
      return;
    }
    case 'passwd': {
      const id = rest[0];
      const accounts = await readOperatorsFile(file);
      const account = accounts.find((a) => a.id === id);
      if (!account) throw new UsageError(`no account "${id ?? ''}"`);
      account.passwordHash = await newPasswordHash();
      await writeOperatorsFile(file, accounts);
      process.stdout.write(`password changed for ${id}\n`);
      return;
    }
    case 'certify':
      return certifyOperator(rest);
    default:
      throw new UsageError('commands: add, list, remove, passwd, certify (see scripts/operators.ts)');
  }
}

main().catch((error) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(`operators: ${known ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
