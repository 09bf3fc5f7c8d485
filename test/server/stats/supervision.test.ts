import { expect } from 'chai';
import type { SupervisorMessage } from '../../../protocol/supervisor-messages.js';
import { SUPERVISOR_EVERY_MS } from '../../../server/stats/supervisor-feed.js';
import { COVERAGE_EVERY_MS } from '../../../server/stats/coverage.js';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { operatorSocket, signIn, visitorSocket, type SocketClient } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { settle } from '../../support/settle.js';
import { ManualClock } from '../../../server/clock.js';
import { LocalBusHub } from '../../../server/bus/local-bus.js';
import { MemoryStore } from '../../../server/store/memory-store.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] };
const queue = { line: '1712', language: 'nl', topic: 'violence', channel: 'chat' };

describe('Supervision: live figures and the export', () => {
  let server: TestServer;
  afterEach(() => server?.close());
  const start = () =>
    startTestServer({
      clock: 'manual',
      operators: [
        { id: 'anna', ...nl, capacity: 1 },
        { id: 'sofie', name: 'Sofie', role: 'supervisor', ...nl },
        // Dutch on 1712, but one topic only.
        { id: 'bo', ...nl, topics: ['violence'] },
      ],
    });

  /**
   * The figures as of now: let the clock run `ms` (ending on one of the feed's 2 s rounds),
   * and skip the rounds sent on the way.
   */
  async function next(socket: SocketClient, ms = SUPERVISOR_EVERY_MS): Promise<SupervisorMessage> {
    server.manualClock!.advance(ms);
    // A round schedules the next once it has been sent: let it run, then move on a round.
    for (let round = 0; round < 20; round++) {
      await settle();
      let last: SupervisorMessage | undefined;
      while (socket.has('supervisor')) last = await socket.next<SupervisorMessage>('supervisor');
      if (last?.at === server.clock.now()) return last;
      server.manualClock!.advance(SUPERVISOR_EVERY_MS);
    }
    throw new Error('no figures as of now');
  }
  const figuresOf = (m: SupervisorMessage) => m.queues.find((q) => q.line === queue.line && q.topic === queue.topic && q.channel === 'chat');

  it('sends a supervisor the queues as visitors wait, are answered, abandon and short-abandon; never an operator', async () => {
    server = await start();
    const sofie = await operatorSocket(server, 'sofie');
    const first = await sofie.next<SupervisorMessage>('supervisor');
    expect(first.queues).to.deep.equal([]);
    expect(first.day).to.equal('2026-11-23');

    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const v1 = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    const waiting = figuresOf(await next(sofie, 30_000));
    expect(waiting!.waiting).to.equal(2);
    expect(waiting!.longestWaitSeconds).to.be.at.least(28);
    expect(waiting!.today).to.deep.include({ requested: 2, answered: 0 });

    // Anna's offer for the first ran out at 30 s (expired); she takes it when offered again.
    const chat = await anna.acceptNextOffer();
    expect(chat).to.equal(v1.chat);
    let figures = await next(sofie);
    expect(figuresOf(figures)!.today).to.deep.include({ answered: 1, expired: 1 });
    expect(figures.operators.find((o) => o.id === 'anna')).to.deep.include({ status: 'available', active: 1, capacity: 1, offersMissedToday: 1 });
    expect(figuresOf(figures)!.lastHour.medianWaitSeconds).to.equal(45);

    // A third visitor leaves after 2 s (a short abandon), the second after a minute (an abandon).
    const v3 = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(2_000);
    v3.socket.send({ type: 'end', quick: false });
    await v3.socket.next('ended');
    figures = await next(sofie, 60_000);
    const v2 = figuresOf(figures)!;
    expect(v2.today).to.deep.include({ requested: 3, answered: 1, shortAbandoned: 1, abandoned: 0 });
    expect(v2.waiting).to.equal(1);
    // Its wait is past the 60 s target: the queue is over target.
    expect(v2.overTarget).to.equal(true);
    const arrivals = figures.curve.reduce((n, p) => n + p.arrivals, 0);
    expect(arrivals).to.equal(3);

    expect(anna.socket.has('supervisor')).to.equal(false);
  });

  it('tells the minutes nobody could answer in a language, and the contacts who came then', async () => {
    server = await start();
    const sofie = await operatorSocket(server, 'sofie');
    await sofie.next('supervisor');
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    // Three minutes with nobody on duty for Dutch on 1712 (the supervisor takes no chats)…
    let figures = await next(sofie, 3 * COVERAGE_EVERY_MS);
    const dutch = () => figures.coverage.find((c) => c.line === '1712' && c.language === 'nl')!;
    expect(dutch()).to.deep.equal({ line: '1712', language: 'nl', uncoveredMinutes: 3, contactsUncovered: 1 });
    // …then Bo is on duty: Dutch is covered, so the minutes stop, and a visitor who comes
    // now is not counted either, even on a topic Bo does not take: the contacts are those
    // of the uncovered minutes, whatever their topic.
    const bo = new TestOperator(await operatorSocket(server, 'bo'));
    await bo.available();
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'abuse');
    figures = await next(sofie, 2 * COVERAGE_EVERY_MS);
    expect(dutch()).to.deep.equal({ line: '1712', language: 'nl', uncoveredMinutes: 3, contactsUncovered: 1 });
    // French on Stop It Now! had nobody all along.
    expect(figures.coverage.find((c) => c.line === 'stop-it-now' && c.language === 'fr')!.uncoveredMinutes).to.be.at.least(5);
  });

  it("exports the day's buckets as CSV to a supervisor, and refuses an operator", async () => {
    server = await start();
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'abuse');
    await anna.acceptNextOffer();
    const get = async (id: string, query = 'from=2026-11-23&to=2026-11-23') =>
      fetch(`${server.url}/api/stats/export?${query}`, { headers: { cookie: await signIn(server, id) } });
    const refused = await get('anna');
    expect(refused.status).to.equal(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('ERR_FORBIDDEN');
    expect((await get('sofie', 'from=2026-11-24&to=2026-11-23')).status).to.equal(400);
    expect((await fetch(`${server.url}/api/stats/export?from=2026-11-23&to=2026-11-23`)).status).to.equal(401);

    const res = await get('sofie');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.include('text/csv');
    expect(res.headers.get('content-disposition')).to.include('quietline-2026-11-23-to-2026-11-23.csv');
    const [header, ...rows] = (await res.text()).trim().split('\r\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 7)).to.deep.equal(['start_utc', 'local_date', 'local_time', 'line', 'language', 'topic', 'channel']);
    expect(rows).to.have.length(1);
    const row = Object.fromEntries(rows[0]!.split(',').map((v, i) => [columns[i], v]));
    expect(row).to.include({ start_utc: '2026-11-23T10:00:00.000Z', local_date: '2026-11-23', local_time: '11:00', line: '1712', topic: 'abuse', channel: 'chat', requested: '1', answered: '1', answered_in_target: '1' });
    expect(await (await get('sofie', 'from=2026-11-24&to=2026-11-30')).text()).to.not.include('1712');
  });

  it('keeps no per-contact row: every statistics record is a bucket of counts, at a quarter hour or a local midnight', async () => {
    server = await start();
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(7_777);
    const chat = await anna.acceptNextOffer();
    anna.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await anna.socket.next('ended');
    const buckets = await server.store.aggregates();
    expect(buckets.length).to.equal(2);
    for (const b of buckets) {
      expect(Object.keys(b).sort()).to.deep.equal(['channel', 'counts', 'language', 'line', 'span', 'start', 'topic']);
      const start = Date.parse(b.start);
      expect(start % (15 * 60_000), b.start).to.equal(0);
      expect(JSON.stringify(b)).to.not.include(visitor.chat);
      for (const [field, n] of Object.entries(b.counts)) {
        expect(field).to.match(/^(requested|answered|inTarget|abandoned|shortAbandoned|overflowed|moved|declined|expired|handled|handleMinutes|staffedMinutes|wait:(\d+|inf)|wrapUp:[a-z-]+)$/);
        expect(n).to.be.a('number');
      }
    }
  });
});

describe('Coverage sampling across nodes', () => {
  it('hands the once-a-minute sample to another node at once when its holder drains', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    await store.init();
    const bus = new LocalBusHub();
    const node = await startTestServer({ clock, shared: { store, bus: bus.connect() }, nodeId: 'node-a' });
    clock.advance(COVERAGE_EVERY_MS);
    await settle();
    // node-a sampled, so it holds the lease: another node may not sample this minute…
    expect(await store.claimLease('coverage', 'node-b', clock.now(), 90_000)).to.equal(false);
    await node.close();
    // …until node-a drains, which gives it up rather than leaving the next minute unsampled.
    expect(await store.claimLease('coverage', 'node-b', clock.now(), 90_000)).to.equal(true);
    await store.close();
  });
});
