import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { signIn } from '../support/socket-client.js';
import { TEST_PASSWORD } from '../support/test-server.js';

describe('HTTP: headers, sign-in and sessions', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({
      clock: 'manual',
      operators: [{ id: 'anna', name: 'Anna', lines: ['1712'], languages: ['nl'], topics: ['violence'] }],
      config: { allowedOrigins: ['https://www.1712.be'] },
    });
  });
  afterEach(() => server.close());

  const post = (body: unknown, origin = server.url) =>
    fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify(body),
    });

  it('serves every page with no-store and no-referrer (privacy invariant 1)', async () => {
    for (const path of ['/widget.js', '/widget/', '/console/', '/demo/', '/api/lines', '/healthz']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('cache-control'), path).to.equal('no-store');
      expect(res.headers.get('referrer-policy'), path).to.equal('no-referrer');
    }
  });

  it('lets only the helplines embed the widget, and nothing embed the console', async () => {
    const widget = await fetch(`${server.url}/widget/`);
    expect(widget.headers.get('content-security-policy')).to.include("frame-ancestors 'self' https://www.1712.be");
    expect(widget.headers.get('x-frame-options')).to.equal(null);
    const console = await fetch(`${server.url}/console/`);
    expect(console.headers.get('content-security-policy')).to.include("frame-ancestors 'none'");
    expect(console.headers.get('content-security-policy')).to.include("script-src 'self' 'wasm-unsafe-eval'");
  });

  it('lists the lines with their hours, alternatives and the emergency number', async () => {
    const body = (await (await fetch(`${server.url}/api/lines`)).json()) as { lines: { id: string; family: string }[]; emergency: string };
    expect(body.emergency).to.equal('112');
    expect(body.lines.map((l) => l.id)).to.include.members(['1712', 'ecoute-violences-conjugales', 'sos-viol', 'seos', 'stop-it-now', '108']);
    expect(body.lines.find((l) => l.id === 'seos')?.family).to.equal('perpetrator-prevention');
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await post({ id: 'anna', password: TEST_PASSWORD });
    expect(res.status).to.equal(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).to.match(/^ql_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).to.include('HttpOnly');
    expect(cookie).to.include('SameSite=Strict');
    const me = await fetch(`${server.url}/api/session`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(((await me.json()) as { operator: { id: string } }).operator.id).to.equal('anna');
  });

  it('refuses a wrong password and an unknown account with the same error', async () => {
    const wrong = await post({ id: 'anna', password: 'not the password' });
    const unknown = await post({ id: 'nobody', password: 'not the password' });
    expect(wrong.status).to.equal(401);
    expect(await wrong.json()).to.deep.equal(await unknown.json());
  });

  it('refuses a sign-in posted from another origin', async () => {
    expect((await post({ id: 'anna', password: TEST_PASSWORD }, 'https://evil.example')).status).to.equal(403);
  });

  it('limits sign-in attempts per account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post({ id: 'anna', password: `guess ${i}` })).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).to.equal(true);
    expect(statuses.slice(8)).to.deep.equal([429, 429]);
    const body = (await (await post({ id: 'anna', password: TEST_PASSWORD })).json()) as { error: { code: string } };
    expect(body.error.code).to.equal('ERR_TOO_MANY_ATTEMPTS');
  });

  it('counts only failed sign-ins: a team behind one address can sign in as often as it needs', async () => {
    for (let i = 0; i < 40; i++) expect((await post({ id: 'anna', password: TEST_PASSWORD })).status).to.equal(200);
  });

  it('ends a session after the idle timeout', async () => {
    const cookie = await signIn(server, 'anna');
    server.manualClock!.advance(server.config.sessionIdleMs + 1);
    const res = await fetch(`${server.url}/api/session`, { headers: { cookie } });
    expect(res.status).to.equal(401);
  });

  it('signs out', async () => {
    const cookie = await signIn(server, 'anna');
    expect((await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } })).status).to.equal(204);
    expect((await fetch(`${server.url}/api/session`, { headers: { cookie } })).status).to.equal(401);
  });

  it('answers unknown paths and bad bodies with registry errors, never a stack', async () => {
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.deep.equal({ error: { code: 'ERR_NOT_FOUND', message: 'Not found.' } });
    const bad = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: '{not json',
    });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(await bad.json())).to.not.match(/at |stack|SyntaxError/);
  });
});
