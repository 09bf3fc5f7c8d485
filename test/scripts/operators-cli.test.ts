import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkChatKey, proveChatKey, readyIdentity, type OperatorIdentityFile } from '../../identity/certificates.js';
import { verifyPassword } from '../../server/auth/password.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

function run(file: string, args: string[], input = '', env: Record<string, string> = {}, script = 'scripts/operators.ts') {
  const result = spawnSync(tsx, [script, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, QUIETLINE_OPERATORS: file, ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm run operators', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quietline-ops-'));
    file = join(dir, 'operators.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds an account with the password from standard input, stored only as a scrypt hash', async () => {
    const password = 'a long passphrase for anna';
    const added = run(file, ['add', 'anna', '--name', 'Anna', '--role', 'operator', '--lines', '1712', '--languages', 'nl,en', '--topics', 'violence,abuse', '--capacity', '2'], `${password}\n`);
    expect(added.code, added.err).to.equal(0);
    const text = readFileSync(file, 'utf8');
    expect(text).to.not.include(password);
    const [account] = (JSON.parse(text) as { operators: Array<{ id: string; languages: string[]; capacity: number; passwordHash: string }> }).operators;
    expect(account).to.include({ id: 'anna', capacity: 2 });
    expect(account!.languages).to.deep.equal(['nl', 'en']);
    expect(account!.passwordHash).to.match(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(password, account!.passwordHash)).to.equal(true);
  });

  it('lists, changes the password of, and removes accounts', async () => {
    run(file, ['add', 'bert', '--name', 'Bert', '--lines', '1712', '--languages', 'nl', '--topics', 'violence'], 'first passphrase 123\n');
    expect(run(file, ['list']).out).to.match(/^bert\tBert\toperator\tlines=1712/m);
    expect(run(file, ['passwd', 'bert'], 'second passphrase 456\n').code).to.equal(0);
    const hash = (JSON.parse(readFileSync(file, 'utf8')) as { operators: Array<{ passwordHash: string }> }).operators[0]!.passwordHash;
    expect(await verifyPassword('second passphrase 456', hash)).to.equal(true);
    expect(run(file, ['remove', 'bert']).code).to.equal(0);
    expect(run(file, ['list']).out).to.include('no accounts');
  });

  it('refuses a short password, an unknown line, a bad role and a duplicate id, clearly', () => {
    const base = ['add', 'cleo', '--name', 'Cleo', '--lines', '1712', '--languages', 'nl', '--topics', 'violence'];
    expect(run(file, base, 'short\n')).to.include({ code: 2 });
    expect(run(file, base, 'short\n').err).to.include('at least 12 characters');
    expect(run(file, [...base.slice(0, 4), '--lines', 'nope', ...base.slice(6)], 'long enough passphrase\n').err).to.include('unknown line "nope"');
    expect(run(file, [...base, '--role', 'king'], 'long enough passphrase\n').err).to.include('role');
    run(file, base, 'long enough passphrase\n');
    expect(run(file, base, 'long enough passphrase\n').err).to.include('exists already');
  });

  it('creates the organisation key once, and certifies an operator the widget can then trust', async () => {
    const keys = { QUIETLINE_ORG_PUBLIC_KEY: join(dir, 'org.pub'), QUIETLINE_ORG_SECRET_KEY: join(dir, 'org.secret') };
    expect(run(file, ['create'], '', keys, 'scripts/org-key.ts').code).to.equal(0);
    expect(statSync(keys.QUIETLINE_ORG_SECRET_KEY).mode & 0o777).to.equal(0o600);
    expect(run(file, ['create'], '', keys, 'scripts/org-key.ts')).to.include({ code: 2 });

    run(file, ['add', 'dana', '--name', 'Dana', '--lines', '1712', '--languages', 'nl', '--topics', 'violence'], 'a fine long passphrase\n');
    const out = join(dir, 'dana.json');
    const certified = run(file, ['certify', 'dana', '--days', '30', '--out', out], '', keys);
    expect(certified.code, certified.err).to.equal(0);
    expect(statSync(out).mode & 0o777).to.equal(0o600);
    const identity = JSON.parse(readFileSync(out, 'utf8')) as OperatorIdentityFile;
    expect(identity).to.include({ type: 'quietline-operator-identity', operator: 'dana' });
    await readyIdentity();
    const orgPublic = readFileSync(keys.QUIETLINE_ORG_PUBLIC_KEY, 'utf8').trim();
    const proof = proveChatKey(identity, 'chat-1', 'Q'.repeat(43), Date.now());
    expect(checkChatKey(orgPublic, proof, 'chat-1', 'Q'.repeat(43), Date.now())).to.deep.equal({ ok: true, name: 'Dana' });
    expect(readFileSync(file, 'utf8')).to.not.include(identity.secretKey);
  });

  it('refuses to certify without the organisation secret key or for an unknown account', () => {
    const keys = { QUIETLINE_ORG_SECRET_KEY: join(dir, 'missing.secret') };
    run(file, ['add', 'eli', '--name', 'Eli', '--lines', '1712', '--languages', 'nl', '--topics', 'violence'], 'a fine long passphrase\n');
    expect(run(file, ['certify', 'eli'], '', keys).err).to.include('organisation');
    expect(run(file, ['certify', 'nobody'], '', keys).err).to.include('no account "nobody"');
  });
});

