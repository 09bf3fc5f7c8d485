import { expect } from 'chai';
import pino from 'pino';
import type { LinesResponse, PublicLine } from '../../protocol/http.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { LocalBusHub } from '../../server/bus/local-bus.js';
import { ManualClock, systemClock } from '../../server/clock.js';
import { ON_DUTY_CHECK_EVERY_MS } from '../../server/relay/dispatcher.js';
import { openSharedState, type SharedState } from '../../server/shared-state.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import { TestOperator, TestVisitor } from '../support/chat-parties.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { operatorSocket, signIn, SocketClient, visitorSocket, type Reachable } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };
type Standing = { position: number; estimate: number | null; available: boolean };

async function lines(server: Reachable): Promise<Map<string, PublicLine>> {
  const body = (await (await fetch(`${server.url}/api/lines`)).json()) as LinesResponse;
  return new Map(body.lines.map((l) => [l.id, l]));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function waiting(server: Reachable, line = '1712', language = 'nl', topic = 'violence'): Promise<{ visitor: TestVisitor; queued: Standing }> {
  const visitor = await TestVisitor.request(await visitorSocket(server), line, language, topic);
  return { visitor, queued: visitor.socket.received.find((m) => m.type === 'queued') as unknown as Standing };
}

describe('Honest availability for waiting visitors', () => {
  describe('on one node', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startTestServer({
        clock: 'manual',
        operators: [
          { id: 'anna', ...nl, capacity: 1 },
          { id: 'noor', lines: ['stop-it-now'], languages: ['nl'], topics: ['attraction-to-minors'] },
        ],
      });
    });
    afterEach(() => server.close());

    it('queues a visitor with available false when nobody who could answer is on duty', async () => {
      const { queued } = await waiting(server);
      expect(queued).to.include({ position: 1, estimate: null, available: false });
    });

    it('queues a visitor with available true when an eligible operator is available', async () => {
      const anna = new TestOperator(await operatorSocket(server, 'anna'));
      await anna.available();
      expect((await waiting(server)).queued).to.include({ available: true });
    });

    it('still says available when the only eligible operator is busy at capacity, with an estimate', async () => {
      const anna = new TestOperator(await operatorSocket(server, 'anna'));
      await anna.available();
      const first = await waiting(server);
      await anna.acceptNextOffer();
      await first.visitor.connected();
      const { queued } = await waiting(server);
      expect(queued.available).to.equal(true);
      expect(queued.estimate).to.be.a('number').above(0);
    });

    it('does not count an operator of another language of the same line', async () => {
      const noor = new TestOperator(await operatorSocket(server, 'noor'));
      await noor.available();
      expect((await waiting(server, 'stop-it-now', 'fr', 'attraction-to-minors')).queued).to.include({ available: false });
      expect((await waiting(server, 'stop-it-now', 'nl', 'attraction-to-minors')).queued).to.include({ available: true });
    });

    it('tells a waiting visitor at once when an operator comes on duty and when they go away', async () => {
      const { visitor } = await waiting(server);
      const anna = new TestOperator(await operatorSocket(server, 'anna'));
      await anna.available();
      expect(await visitor.socket.next('position')).to.include({ position: 1, available: true });
      anna.socket.send({ type: 'status', status: 'away' });
      expect(await visitor.socket.next('position')).to.include({ position: 1, estimate: null, available: false });
    });

    it('tells a waiting visitor when the only eligible operator signs out', async () => {
      const { visitor } = await waiting(server);
      const cookie = await signIn(server, 'anna');
      const socket = await SocketClient.open(`${server.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: server.url, Cookie: cookie });
      const anna = new TestOperator(socket);
      await anna.available();
      expect(await visitor.socket.next('position')).to.include({ available: true });
      await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } });
      expect(await visitor.socket.next('position')).to.include({ available: false });
    });

    it('sends no position when neither place nor availability changed', async () => {
      const { visitor } = await waiting(server);
      const noor = new TestOperator(await operatorSocket(server, 'noor'));
      await noor.available(); // another line: nothing changes for this visitor
      server.manualClock!.advance(ON_DUTY_CHECK_EVERY_MS);
      await settle();
      expect(visitor.socket.has('position')).to.equal(false);
    });
  });

  describe('GET /api/lines', () => {
    let server: TestServer | undefined;
    afterEach(() => server?.close());

    it("gives each line the wait past which the widget shows its alternatives: the file's default, or the line's own", async () => {
      const base = await startTestServer();
      const config = structuredClone(base.config.lines);
      await base.close();
      config.lines.find((l) => l.id === 'sos-viol')!.alternativesAfterSeconds = 120;
      server = await startTestServer({ config: { lines: config } });
      const byId = await lines(server);
      expect(byId.get('sos-viol')?.alternativesAfterSeconds).to.equal(120);
      expect(byId.get('1712')?.alternativesAfterSeconds).to.equal(300);
    });

    it('lists only the languages in which someone who could answer is available now', async () => {
      server = await startTestServer({
        operators: [
          { id: 'noor', lines: ['stop-it-now'], languages: ['nl', 'en'], topics: ['attraction-to-minors'] },
          { id: 'fleur', lines: ['stop-it-now'], languages: ['fr'], topics: ['attraction-to-minors'] },
        ],
      });
      expect((await lines(server)).get('stop-it-now')?.languagesNow).to.deep.equal([]);
      const noor = new TestOperator(await operatorSocket(server, 'noor'));
      await noor.available();
      const fleur = new TestOperator(await operatorSocket(server, 'fleur'));
      await fleur.socket.next('welcome'); // signed in but away: not on duty
      const byId = await lines(server);
      expect(byId.get('stop-it-now')?.languagesNow, "the line's languages only, not the operator's English").to.deep.equal(['nl']);
      expect(byId.get('1712')?.languagesNow).to.deep.equal([]);
    });

    it('still answers while the shared store is unreachable, with nobody said to be on duty', async () => {
      server = await startTestServer({ operators: [{ id: 'anna', ...nl }], faults: 'outage' });
      const anna = new TestOperator(await operatorSocket(server, 'anna'));
      await anna.available();
      expect((await lines(server)).get('1712')?.languagesNow).to.deep.equal(['nl']);
      server.outage!.start();
      const res = await fetch(`${server.url}/api/lines`);
      expect(res.status).to.equal(200);
      const body = (await res.json()) as LinesResponse;
      expect(body.emergency).to.equal('112');
      expect(body.lines.find((l) => l.id === '1712')?.languagesNow).to.deep.equal([]);
      server.outage!.end();
    });
  });

  describe('on two nodes sharing one memory store', () => {
    let clock: ManualClock;
    let store: MemoryStore;
    let a: TestServer;
    let b: TestServer;
    beforeEach(async () => {
      clock = new ManualClock();
      store = new MemoryStore(clock);
      await store.init();
      const hub = new LocalBusHub();
      const node = (nodeId: string) => startTestServer({ clock, operators: [{ id: 'anna', ...nl }], shared: { store, bus: hub.connect() }, nodeId });
      [a, b] = [await node('node-a'), await node('node-b')];
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await store.close();
    });

    it("tells a visitor on one node within the check's interval that the operator on another went away", async () => {
      const anna = new TestOperator(await operatorSocket(b, 'anna'));
      await anna.available();
      const { visitor, queued } = await waiting(a);
      expect(queued.available).to.equal(true);
      await anna.socket.next('offer');
      anna.socket.send({ type: 'status', status: 'away' });
      await anna.socket.next('status');
      await settle();
      expect(visitor.socket.has('position'), 'not before node A checks').to.equal(false);
      clock.advance(ON_DUTY_CHECK_EVERY_MS);
      expect(await visitor.socket.next('position')).to.include({ position: 1, estimate: null, available: false });
    });

    it('tells a visitor on one node when an operator comes on duty through another', async () => {
      const { visitor, queued } = await waiting(a);
      expect(queued.available).to.equal(false);
      const anna = new TestOperator(await operatorSocket(b, 'anna'));
      await anna.available();
      clock.advance(ON_DUTY_CHECK_EVERY_MS);
      expect(await visitor.socket.next('position')).to.include({ available: true });
    });

    it('lists in /api/lines of every node the languages an operator on any node is available in', async () => {
      expect((await lines(a)).get('1712')?.languagesNow).to.deep.equal([]);
      const anna = new TestOperator(await operatorSocket(b, 'anna'));
      await anna.available();
      expect((await lines(a)).get('1712')?.languagesNow).to.deep.equal(['nl']);
      expect((await lines(b)).get('1712')?.languagesNow).to.deep.equal(['nl']);
    });
  });

  describe('on two nodes sharing a real Redis', function () {
    this.timeout(30_000);
    let redis: RedisProcess;
    const states: SharedState[] = [];
    const nodes: TestServer[] = [];
    before(async () => {
      redis = await startRedis();
      for (const nodeId of ['node-a', 'node-b']) {
        const shared = await openSharedState({ redisUrl: redis.url, prefix: 'avail', clock: systemClock, logger: pino({ level: 'silent' }) });
        states.push(shared);
        nodes.push(await startTestServer({ operators: [{ id: 'anna', ...nl }], shared: { ...shared, keyPrefix: 'avail' }, nodeId }));
      }
    });
    after(async () => {
      for (const n of nodes) await n.close();
      for (const s of states) await s.close();
      await redis?.dispose();
    });

    it('tells a visitor on one node, within seconds, that an operator on the other came on duty and went away', async () => {
      const [a, b] = [nodes[0]!, nodes[1]!];
      const { visitor, queued } = await waiting(a);
      expect(queued.available).to.equal(false);
      expect((await lines(a)).get('1712')?.languagesNow).to.deep.equal([]);

      const anna = new TestOperator(await operatorSocket(b, 'anna'));
      await anna.available();
      const started = Date.now();
      expect(await visitor.socket.next('position')).to.include({ available: true });
      expect((await lines(a)).get('1712')?.languagesNow).to.deep.equal(['nl']);

      await anna.socket.next('offer');
      anna.socket.send({ type: 'status', status: 'away' });
      expect(await visitor.socket.next('position')).to.include({ available: false, estimate: null });
      expect(Date.now() - started, 'both within a few check intervals').to.be.below(4 * ON_DUTY_CHECK_EVERY_MS);
      expect((await lines(a)).get('1712')?.languagesNow).to.deep.equal([]);
    });
  });
});
