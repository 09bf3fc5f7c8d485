import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { fileURLToPath } from 'node:url';
import { openAccounts } from '../../../server/accounts/open-directory.js';
import { hashPassword } from '../../../server/auth/password.js';
import { systemClock } from '../../../server/clock.js';
import { loadLinesConfig } from '../../../server/config/lines-config.js';
import { openSharedState, type SharedState } from '../../../server/shared-state.js';
import { PROTOCOL_VERSION } from '../../../protocol/version.js';
import { accountRequests, NEW_OPERATOR } from '../../support/account-requests.js';
import { startRedis, type RedisProcess } from '../../support/redis-servers.js';
import { signIn, SocketClient } from '../../support/socket-client.js';
import { startTestServer, TEST_SCRYPT, type TestServer } from '../../support/test-server.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const linesFile = fileURLToPath(new URL('../../../config/lines.json', import.meta.url));
let prefixes = 0;

/**
 * Accounts on Redis, with two nodes in this process on one real Redis (as behind a load
 * balancer) and `npm run operators` run as its own process against the same Redis. The
 * nodes' clocks are real; "at once" means long before the minute's re-check could act.
 */
describe('Accounts on Redis, shared by every node', () => {
  let redis: RedisProcess;
  let shared: SharedState;
  /** Each node's own connections, as each process has (a bus hands a channel to one handler). */
  let ofB: SharedState;
  let a: TestServer;
  let b: TestServer;
  let prefix: string;

  before(async () => {
    redis = await startRedis();
  });
  after(async () => redis?.stop());

  beforeEach(async () => {
    prefix = `accounts${++prefixes}`;
    const open = () => openSharedState({ redisUrl: redis.url, prefix, clock: systemClock, logger: pino({ level: 'silent' }) });
    [shared, ofB] = await Promise.all([open(), open()]);
    const operators = [{ id: 'ada', name: 'Ada', role: 'admin' as const, ...nl }];
    a = await startTestServer({ operators, shared: { store: shared.store, bus: shared.bus, keyPrefix: prefix }, nodeId: 'node-a' });
    b = await startTestServer({ operators, shared: { store: ofB.store, bus: ofB.bus, keyPrefix: prefix }, nodeId: 'node-b' });
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await shared?.close();
    await ofB?.close();
  });

  const consoleOn = async (server: TestServer, cookie: string) => {
    const socket = await SocketClient.open(`${server.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: server.url, Cookie: cookie });
    await socket.next('welcome');
    return socket;
  };

  const operators = (args: string[], input = '') =>
    spawnSync(tsx, ['scripts/operators.ts', ...args], {
      input,
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, QUIETLINE_OPERATORS: join(tmpdir(), 'quietline-no-such-file.json') },
    });

  it('lets an operator added on node A sign in on node B, and ends their console on B at once when A removes them', async () => {
    const admin = accountRequests(a, await signIn(a, 'ada'));
    expect((await admin.add(NEW_OPERATOR)).status).to.equal(201);
    const noor = await consoleOn(b, await signIn(b, 'noor', NEW_OPERATOR.password));
    expect((await admin.remove('noor')).status).to.equal(204);
    expect((await noor.next<{ code: string }>('error')).code).to.equal('ERR_SESSION_EXPIRED');
    expect(await noor.closed).to.equal(4004);
  });

  it('makes an edited operator\'s console on node B reconnect at once and take the new capacity', async () => {
    const admin = accountRequests(a, await signIn(a, 'ada'));
    await admin.add(NEW_OPERATOR);
    const cookie = await signIn(b, 'noor', NEW_OPERATOR.password);
    const noor = await consoleOn(b, cookie);
    expect((await admin.edit('noor', { name: 'Noor', role: 'operator', ...nl, capacity: 4 })).status).to.equal(200);
    expect(await noor.closed).to.equal(1012);
    const again = await consoleOn(a, cookie);
    expect((await shared.store.getPresence('noor'))?.capacity).to.equal(4);
    again.close();
  });

  it('closes on node B, at once, the console of a session signed out on node A', async () => {
    const cookie = await signIn(a, 'ada');
    const onB = await consoleOn(b, cookie);
    await fetch(`${a.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(await onB.closed).to.equal(4004);
  });

  it('lets npm run operators add, edit and remove accounts in Redis, a removal ending consoles on every node at once', async function () {
    // Four runs of the command, each starting tsx (2–4 s apiece on this machine).
    this.timeout(40_000);
    const added = operators(['add', 'kim', '--name', 'Kim', '--lines', '1712', '--languages', 'nl', '--topics', 'violence'], 'a long passphrase for kim\n');
    expect(added.status, added.stderr).to.equal(0);
    expect(added.stdout).to.include('added kim to Redis');
    expect(operators(['edit', 'kim', '--capacity', '2']).status).to.equal(0);
    expect((await shared.store.getAccount('kim'))?.capacity).to.equal(2);
    expect(operators(['list']).stdout).to.match(/^kim\tKim\toperator\tlines=1712/m);
    const kim = await consoleOn(a, await signIn(b, 'kim', 'a long passphrase for kim'));
    const removed = operators(['remove', 'kim']);
    expect(removed.status, removed.stderr).to.equal(0);
    expect(await kim.closed).to.equal(4004);
  });

  it('copies the operators file into a Redis that holds no account, once, and then leaves Redis as the admins made it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quietline-import-'));
    try {
      const file = join(dir, 'operators.json');
      const account = { id: 'lou', name: 'Lou', role: 'operator' as const, ...nl, capacity: 3, passwordHash: await hashPassword('passphrase for lou', TEST_SCRYPT) };
      writeFileSync(file, JSON.stringify({ operators: [account] }));
      const lines = await loadLinesConfig(linesFile);
      const fresh = await openSharedState({ redisUrl: redis.url, prefix: `${prefix}-import`, clock: systemClock, logger: pino({ level: 'silent' }) });
      try {
        expect((await openAccounts(fresh, file, lines)).imported).to.equal(1);
        expect(await fresh.store.getAccount('lou')).to.deep.equal(account);
        await fresh.store.putAccount({ ...account, id: 'max' }, 'create');
        await fresh.store.deleteAccount('lou');
        const again = await openAccounts(fresh, file, lines);
        expect(again.imported).to.equal(0);
        expect((await again.directory.list()).map((x) => x.id)).to.deep.equal(['max']);
      } finally {
        await fresh.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
