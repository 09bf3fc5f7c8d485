/**
 * Manage operator accounts: `npm run operators -- <command>`.
 *
 *   add <id> --name <display name> --role operator|supervisor|admin
 *       --lines <ids> --languages <codes> --topics <ids> [--capacity <n>]
 *   list
 *   remove <id>
 *   passwd <id>
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
    default:
      throw new UsageError('commands: add, list, remove, passwd (see scripts/operators.ts)');
  }
}

main().catch((error) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(`operators: ${known ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
