import { expect } from 'chai';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { SESSION_RECHECK_MS } from '../../server/auth/session-watch.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { signIn, SocketClient } from '../support/socket-client.js';

/** Move the clock a step at a time, letting each step's session checks finish (no sleeping). */
async function advanceInSteps(server: TestServer, totalMs: number): Promise<void> {
  for (let t = 0; t < totalMs; t += SESSION_RECHECK_MS) {
    server.manualClock!.advance(SESSION_RECHECK_MS);
    await new Promise(setImmediate);
  }
}

describe('Console sessions while the console only listens', () => {
  let server: TestServer;
  let cookie: string;
  let console_: SocketClient;
  beforeEach(async () => {
    server = await startTestServer({
      clock: 'manual',
      operators: [{ id: 'anna', lines: ['1712'], languages: ['nl'], topics: ['violence'] }],
    });
    cookie = await signIn(server, 'anna');
    console_ = await SocketClient.open(`${server.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: server.url, Cookie: cookie });
    await console_.next('welcome');
  });
  afterEach(() => server.close());

  it('keeps an open, quiet console signed in past the idle timeout', async () => {
    await advanceInSteps(server, server.config.sessionIdleMs * 2);
    console_.send({ type: 'status', status: 'available' });
    expect(await console_.next('status')).to.include({ status: 'available' });
  });

  it('closes a quiet console with 4004 once the session reaches its absolute lifetime', async () => {
    await advanceInSteps(server, server.config.sessionMaxMs + SESSION_RECHECK_MS);
    expect(await console_.next('error')).to.include({ code: 'ERR_SESSION_EXPIRED' });
    expect(await console_.closed).to.equal(4004);
  });

  it('closes the consoles of a session at once when it signs out', async () => {
    const res = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(res.status).to.equal(204);
    expect(await console_.next('error')).to.include({ code: 'ERR_SESSION_EXPIRED' });
    expect(await console_.closed).to.equal(4004);
  });
});
