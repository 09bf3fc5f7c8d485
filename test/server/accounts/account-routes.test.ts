import { expect } from 'chai';
import { PROTOCOL_VERSION } from '../../../protocol/version.js';
import { accountRequests, NEW_OPERATOR, NEW_OPERATOR_FIELDS } from '../../support/account-requests.js';
import { signIn, SocketClient } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { settle } from '../../support/settle.js';
import { SUPERVISOR_EVERY_MS } from '../../../server/stats/supervisor-feed.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

/**
 * The admin's account management over HTTP on one node (the memory store): who may use it,
 * what it refuses, and what each change does to the account's open consoles — at once, not
 * at the minute's re-check (the clock is manual and never moved).
 */
describe('Accounts managed by an admin', () => {
  let server: TestServer;
  let admin: ReturnType<typeof accountRequests>;

  beforeEach(async () => {
    server = await startTestServer({
      clock: 'manual',
      operators: [
        { id: 'ada', name: 'Ada', role: 'admin', ...nl },
        { id: 'sol', name: 'Sol', role: 'supervisor', ...nl },
        { id: 'olu', name: 'Olu', ...nl },
      ],
    });
    admin = accountRequests(server, await signIn(server, 'ada'));
  });
  afterEach(() => server.close());

  const consoleOf = async (id: string, password?: string) => {
    const cookie = await signIn(server, id, password);
    const socket = await SocketClient.open(`${server.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: server.url, Cookie: cookie });
    await socket.next('welcome');
    return socket;
  };

  it('lists every account for an admin, without a password hash', async () => {
    const { status, body } = await admin.list();
    expect(status).to.equal(200);
    const accounts = body!.accounts as Array<Record<string, unknown>>;
    expect(accounts.map((a) => a.id).sort()).to.deep.equal(['ada', 'olu', 'sol']);
    expect(JSON.stringify(body)).to.not.include('scrypt');
    expect(accounts.find((a) => a.id === 'sol')).to.deep.include({ name: 'Sol', role: 'supervisor', capacity: 3 });
  });

  it('refuses an operator and a supervisor (403), and anyone without a session (401)', async () => {
    for (const id of ['olu', 'sol']) {
      const as = accountRequests(server, await signIn(server, id));
      expect((await as.list()).body?.error?.code, id).to.equal('ERR_FORBIDDEN');
      expect((await as.add(NEW_OPERATOR)).status, id).to.equal(403);
      expect((await as.remove('olu')).status, id).to.equal(403);
    }
    expect((await accountRequests(server, '').list()).status).to.equal(401);
    expect((await admin.list()).status).to.equal(200);
  });

  it('adds an operator who can then sign in, and logs who added whom, never the password', async () => {
    const added = await admin.add(NEW_OPERATOR);
    expect(added.status).to.equal(201);
    expect(added.body!.account).to.deep.equal({ id: 'noor', ...NEW_OPERATOR_FIELDS });
    expect(await signIn(server, 'noor', NEW_OPERATOR.password)).to.match(/^ql_session=/);
    const line = server.logLines.find((l) => l.includes('account.added'));
    expect(JSON.parse(line!)).to.include({ event: 'account.added', operator: 'noor', by: 'ada' });
    expect(server.logLines.join('\n')).to.not.include(NEW_OPERATOR.password);
  });

  it('refuses, by code, a taken id, a short password, an unknown line or topic, a bad field and another site', async () => {
    expect((await admin.add({ ...NEW_OPERATOR, id: 'olu' })).body?.error?.code).to.equal('ERR_ACCOUNT_EXISTS');
    expect((await admin.add({ ...NEW_OPERATOR, password: 'too short' })).body?.error?.code).to.equal('ERR_WEAK_PASSWORD');
    expect((await admin.add({ ...NEW_OPERATOR, lines: ['nope'] })).body?.error?.code).to.equal('ERR_BAD_REQUEST');
    expect((await admin.add({ ...NEW_OPERATOR, topics: ['nope'] })).body?.error?.code).to.equal('ERR_BAD_REQUEST');
    expect((await admin.add({ ...NEW_OPERATOR, capacity: 11 })).body?.error?.code).to.equal('ERR_BAD_REQUEST');
    expect((await admin.add({ ...NEW_OPERATOR, role: 'king' })).body?.error?.code).to.equal('ERR_BAD_REQUEST');
    expect((await admin.add({ ...NEW_OPERATOR, passwordHash: 'scrypt$…' })).body?.error?.code).to.equal('ERR_BAD_REQUEST');
    expect((await admin.send('POST', '/api/accounts', NEW_OPERATOR, 'https://evil.example')).body?.error?.code).to.equal('ERR_ORIGIN_NOT_ALLOWED');
    expect((await admin.edit('nobody', NEW_OPERATOR_FIELDS)).body?.error?.code).to.equal('ERR_NOT_FOUND');
    expect((await admin.remove('nobody')).body?.error?.code).to.equal('ERR_NOT_FOUND');
    expect((await admin.list()).body!.accounts).to.have.length(3);
  });

  it('does not let an admin remove their own account or take away their own admin role', async () => {
    expect((await admin.remove('ada')).body?.error?.code).to.equal('ERR_OWN_ACCOUNT');
    expect((await admin.edit('ada', { ...NEW_OPERATOR_FIELDS, name: 'Ada', role: 'supervisor' })).body?.error?.code).to.equal('ERR_OWN_ACCOUNT');
    const renamed = await admin.edit('ada', { ...NEW_OPERATOR_FIELDS, name: 'Ada B.', role: 'admin' });
    expect(renamed.status).to.equal(200);
    expect((await admin.list()).status).to.equal(200);
  });

  it('makes an edited operator\'s open console reconnect at once, to work under the new skills and capacity', async () => {
    const olu = await consoleOf('olu');
    const edited = await admin.edit('olu', { name: 'Olu', role: 'operator', lines: ['1712', '108'], languages: ['nl', 'de'], topics: ['violence'], capacity: 5 });
    expect(edited.status).to.equal(200);
    expect(await olu.closed).to.equal(1012);
    const again = await consoleOf('olu');
    const welcome = again.received.find((m) => m.type === 'welcome') as unknown as { operator: { capacity: number; languages: string[] } };
    expect(welcome.operator).to.deep.include({ capacity: 5, languages: ['nl', 'de'] });
    expect((await server.store.getPresence('olu'))?.capacity).to.equal(5);
    again.close();
  });

  it('takes the live view from a supervisor demoted to operator at once, and gives it back on promotion', async () => {
    const sol = await consoleOf('sol');
    server.manualClock!.advance(SUPERVISOR_EVERY_MS);
    await sol.next('supervisor');
    expect((await admin.edit('sol', { name: 'Sol', role: 'operator', ...nl, capacity: 3 })).status).to.equal(200);
    expect(await sol.closed).to.equal(1012);
    const demoted = await consoleOf('sol');
    server.manualClock!.advance(3 * SUPERVISOR_EVERY_MS);
    await settle();
    expect(demoted.has('supervisor'), 'an operator is sent no figures').to.equal(false);
    expect((await admin.edit('sol', { name: 'Sol', role: 'supervisor', ...nl, capacity: 3 })).status).to.equal(200);
    expect(await demoted.closed).to.equal(1012);
    const promoted = await consoleOf('sol');
    server.manualClock!.advance(SUPERVISOR_EVERY_MS);
    await promoted.next('supervisor');
    promoted.close();
  });

  it('ends the sessions of an account whose password was reset, at once; the new password signs in', async () => {
    const olu = await consoleOf('olu');
    expect((await admin.resetPassword('olu', 'short')).body?.error?.code).to.equal('ERR_WEAK_PASSWORD');
    expect((await admin.resetPassword('olu', 'a brand new passphrase')).status).to.equal(204);
    expect((await olu.next<{ code: string }>('error')).code).to.equal('ERR_SESSION_EXPIRED');
    expect(await olu.closed).to.equal(4004);
    let refused = false;
    await signIn(server, 'olu').catch(() => (refused = true));
    expect(refused, 'the old password').to.equal(true);
    expect(await signIn(server, 'olu', 'a brand new passphrase')).to.match(/^ql_session=/);
  });

  it('ends a removed account\'s open consoles at once, and it can no longer sign in', async () => {
    const olu = await consoleOf('olu');
    expect((await admin.remove('olu')).status).to.equal(204);
    expect((await olu.next<{ code: string }>('error')).code).to.equal('ERR_SESSION_EXPIRED');
    expect(await olu.closed).to.equal(4004);
    let refused = false;
    await signIn(server, 'olu').catch(() => (refused = true));
    expect(refused).to.equal(true);
    expect((await admin.list()).body!.accounts).to.have.length(2);
  });

  it('closes a signed-out session\'s consoles at once and leaves the same operator\'s other session open', async () => {
    const cookie = await signIn(server, 'olu');
    const first = await SocketClient.open(`${server.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: server.url, Cookie: cookie });
    await first.next('welcome');
    const other = await consoleOf('olu');
    await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(await first.closed).to.equal(4004);
    other.send({ type: 'status', status: 'available' });
    expect((await other.next<{ status: string }>('status')).status).to.equal('available');
    other.close();
  });
});
