/**
 * Manage operator accounts: `npm run operators -- <command>`.
 *
 *   add <id> --name <display name> --role operator|supervisor|admin
 *       --lines <ids> --languages <codes> --topics <ids> [--capacity <n>]
 *   edit <id> [--name …] [--role …] [--lines …] [--languages …] [--topics …] [--capacity …]
 *   list
 *   remove <id>
 *   passwd <id>
 *   certify <id> [--days <n>] [--out <file>]
 *
 * The accounts are where the server keeps them (server/accounts/open-directory.ts): in Redis
 * when REDIS_URL or REDIS_CLUSTER_NODES is set — each change then reaches every node at
 * once, as the admin's console does —, otherwise in the operators file (config/operators.json
 * unless QUIETLINE_OPERATORS names another), which a running node re-reads when it changes.
 * The same rules as the console apply (server/accounts/account-admin.ts). Passwords are read
 * from standard input (first line), never from arguments, so they stay out of shell history
 * and process lists; only scrypt hashes are kept.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { readFile, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import type { AccountFields } from '../protocol/accounts.js';
import { certify, newSigningKeyPair, readyIdentity, type OperatorIdentityFile } from '../identity/certificates.js';
import type { OperatorAccount } from '../server/accounts/account.js';
import { AccountAdmin, type AccountResult } from '../server/accounts/account-admin.js';
import { accountChanges } from '../server/accounts/accounts-module.js';
import type { AccountDirectory } from '../server/accounts/directory.js';
import { openAccounts } from '../server/accounts/open-directory.js';
import { systemClock } from '../server/clock.js';
import { ConfigError, loadLinesConfig } from '../server/config/lines-config.js';
import { readSettings } from '../server/config/settings.js';
import { createLogger } from '../server/logging.js';
import { openSharedState, type SharedState } from '../server/shared-state.js';

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

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function settled<T>(result: AccountResult<T>): T {
  if (!result.ok) throw new UsageError(result.detail);
  return result.value;
}

const FIELD_OPTIONS = {
  name: { type: 'string' },
  role: { type: 'string' },
  lines: { type: 'string' },
  languages: { type: 'string' },
  topics: { type: 'string' },
  capacity: { type: 'string' },
} as const;

/** The options given, over `base`: an edit changes only what it names. */
function fieldsFrom(values: Partial<Record<keyof typeof FIELD_OPTIONS, string>>, base: AccountFields): Record<string, unknown> {
  return {
    name: values.name ?? base.name,
    role: values.role ?? base.role,
    lines: values.lines === undefined ? base.lines : list(values.lines),
    languages: values.languages === undefined ? base.languages : list(values.languages),
    topics: values.topics === undefined ? base.topics : list(values.topics),
    capacity: values.capacity === undefined ? base.capacity : Number(values.capacity),
  };
}

async function add(admin: AccountAdmin, where: string, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: FIELD_OPTIONS });
  const id = positionals[0];
  if (!id || !values.name) throw new UsageError('add <id> --name <display name> needs an id and a name');
  if ((await admin.list()).some((a) => a.id === id)) throw new UsageError(`"${id}" exists already (use passwd, or remove it first)`);
  const fields = fieldsFrom(values, { name: values.name, role: 'operator', lines: [], languages: [], topics: [], capacity: 3 });
  // Check everything but the password first, so a typo costs no password prompt.
  const checked = settled(admin.checkFields(fields));
  settled(await admin.add({ id, ...checked, password: await readPassword() }));
  process.stdout.write(`added ${id} to ${where}\n`);
}

async function edit(admin: AccountAdmin, directory: AccountDirectory, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: FIELD_OPTIONS });
  const id = positionals[0];
  const account = id ? await directory.find(id) : undefined;
  if (!id || !account) throw new UsageError(`no account "${id ?? ''}"`);
  settled(await admin.edit(id, fieldsFrom(values, account)));
  process.stdout.write(`changed ${id}\n`);
}

function describe(a: OperatorAccount): string {
  return `${a.id}\t${a.name}\t${a.role}\tlines=${a.lines.join(',')}\tlanguages=${a.languages.join(',')}\ttopics=${a.topics.join(',')}\tcapacity=${a.capacity}\n`;
}

/**
 * Give an operator a certified identity: a new Ed25519 key pair, its public half signed with
 * the organisation's secret key. The operator loads the file written here into their
 * console; it is their secret, readable by its owner only.
 */
async function certifyOperator(directory: AccountDirectory, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { days: { type: 'string', default: '365' }, out: { type: 'string' } },
  });
  const id = positionals[0];
  const account = id ? await directory.find(id) : undefined;
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
  const settings = readSettings(process.env);
  // Store warnings (Redis unreachable) go to standard error; standard output is the answer.
  const logger = createLogger({ level: 'warn', destination: pino.destination(2) });
  const lines = await loadLinesConfig(settings.QUIETLINE_LINES);
  const shared: SharedState = await openSharedState({
    redisUrl: settings.REDIS_URL,
    clusterNodes: settings.REDIS_CLUSTER_NODES?.split(',').map((s) => s.trim()).filter(Boolean),
    prefix: settings.REDIS_KEY_PREFIX,
    clock: systemClock,
    logger,
  });
  try {
    const { directory } = await openAccounts(shared, settings.QUIETLINE_OPERATORS, lines);
    const admin = new AccountAdmin(directory, lines, accountChanges(shared.bus, settings.REDIS_KEY_PREFIX, logger));
    const idOf = async () => {
      const id = rest[0];
      if (!id || !(await directory.find(id))) throw new UsageError(`no account "${id ?? ''}"`);
      return id;
    };
    switch (command) {
      case 'add':
        return await add(admin, directory.where, rest);
      case 'edit':
        return await edit(admin, directory, rest);
      case 'list': {
        const accounts = await admin.list();
        if (accounts.length === 0) process.stdout.write(`no accounts in ${directory.where}\n`);
        for (const a of accounts) process.stdout.write(describe(a));
        return;
      }
      case 'remove': {
        const id = await idOf();
        settled(await admin.remove(id));
        process.stdout.write(`removed ${id}\n`);
        return;
      }
      case 'passwd': {
        const id = await idOf();
        settled(await admin.resetPassword(id, await readPassword()));
        process.stdout.write(`password changed for ${id}\n`);
        return;
      }
      case 'certify':
        return await certifyOperator(directory, rest);
      default:
        throw new UsageError('commands: add, edit, list, remove, passwd, certify (see scripts/operators.ts)');
    }
  } finally {
    await shared.close();
  }
}

main().catch((error) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(`operators: ${known ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
