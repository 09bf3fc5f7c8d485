import { expect } from 'chai';
import { quarterBuckets } from '../support/aggregate-views.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { operatorSocket, visitorSocket } from '../support/socket-client.js';
import { connectedChat, TestOperator, TestVisitor } from '../support/chat-parties.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] };

describe('Offers and the queue, on the real server with a manual clock', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({
      clock: 'manual',
      operators: [
        { id: 'anna', ...nl, capacity: 1 },
        { id: 'bert', ...nl, capacity: 1 },
        { id: 'claire', lines: ['ecoute-violences-conjugales'], languages: ['fr'], topics: ['partner-violence'] },
      ],
    });
  });
  afterEach(() => server.close());

  it('passes an offer that expires to the next eligible operator', async () => {
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    expect(await anna.socket.next('offer')).to.include({ ticket: visitor.chat, line: '1712', language: 'nl', topic: 'violence' });

    const bert = new TestOperator(await operatorSocket(server, 'bert'));
    await bert.available();
    server.manualClock!.advance(server.config.offerTimeoutMs);
    expect(await anna.socket.next('offer-withdrawn')).to.include({ ticket: visitor.chat, reason: 'expired' });
    expect(await bert.socket.next('offer')).to.include({ ticket: visitor.chat });
  });

  it('refuses an accept after the offer expired', async () => {
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await anna.socket.next('offer');
    anna.socket.send({ type: 'status', status: 'away' });
    await anna.socket.next('offer-withdrawn');
    anna.socket.send({ type: 'accept', ticket: visitor.chat, key: visitor.cipher.publicKey });
    expect(await anna.socket.next('error')).to.include({ code: 'ERR_OFFER_GONE', ticket: visitor.chat });
  });

  it('never offers a chat to an operator of another line or language', async () => {
    const claire = new TestOperator(await operatorSocket(server, 'claire'));
    await claire.available();
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    await anna.socket.next('offer');
    expect(claire.socket.has('offer')).to.equal(false);
  });

  it('shows waiting visitors their position, and moves them up when someone ahead leaves', async () => {
    const first = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    const secondSocket = await visitorSocket(server);
    secondSocket.send({ type: 'request', line: '1712', language: 'nl', topic: 'abuse', key: first.cipher.publicKey });
    expect(await secondSocket.next('queued')).to.include({ position: 2, estimate: null });
    first.socket.send({ type: 'end', quick: false });
    expect(await secondSocket.next('position')).to.include({ position: 1 });
  });

  it('removes a visitor who disconnects while waiting once the reconnect grace has passed', async () => {
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    // A minute in the queue, then gone: an abandon (within SHORT_ABANDON_SECONDS it would be a short one).
    server.manualClock!.advance(60_000);
    visitor.socket.close();
    await visitor.socket.closed;
    expect(await server.store.getTicket(visitor.chat)).to.not.equal(undefined);
    server.manualClock!.advance(server.config.reconnectGraceMs);
    // The purge runs on the timer; wait until the store reflects it without sleeping.
    for (let i = 0; i < 100 && (await server.store.getTicket(visitor.chat)); i++) await new Promise(setImmediate);
    expect(await server.store.getTicket(visitor.chat)).to.equal(undefined);
    const [bucket] = await quarterBuckets(server.store);
    expect(bucket?.counts).to.deep.equal({ requested: 1, abandoned: 1 });
  });

  it('counts a visitor whose tab closed seconds after asking as a short abandon, though the chat ends only after the grace', async () => {
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(2_000);
    visitor.socket.close();
    await visitor.socket.closed;
    server.manualClock!.advance(server.config.reconnectGraceMs);
    for (let i = 0; i < 100 && (await server.store.getTicket(visitor.chat)); i++) await new Promise(setImmediate);
    expect((await quarterBuckets(server.store))[0]?.counts).to.deep.equal({ requested: 1, shortAbandoned: 1 });
  });

  it('still counts the wrap-up of a chat the visitor left, when the operator writes it some minutes later', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    visitor.socket.close();
    await visitor.socket.closed;
    server.manualClock!.advance(server.config.reconnectGraceMs);
    expect(await operator.socket.next('ended')).to.include({ chat, by: 'system' });
    server.manualClock!.advance(3 * 60_000);
    operator.socket.send({ type: 'end', chat, wrapUp: 'crisis' });
    await operator.socket.next('ended');
    const [bucket] = await quarterBuckets(server.store);
    expect(bucket?.counts).to.deep.include({ 'wrapUp:crisis': 1 });
    expect(await server.store.getTicket(chat), 'purged once wrapped up').to.equal(undefined);
  });

  it('does not offer a chat whose visitor is disconnected, and offers it again once they are back', async () => {
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    visitor.socket.close();
    await visitor.socket.closed;
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    // A second status round trip: frames are handled in order, each after its dispatch run.
    anna.socket.send({ type: 'status', status: 'available' });
    await anna.socket.next('status');
    expect(anna.socket.has('offer'), 'no offer while the visitor is away').to.equal(false);
    const again = await visitorSocket(server);
    again.send({ type: 'resume', token: visitor.token, received: 0 });
    await again.next('resumed');
    expect(await anna.socket.next('offer')).to.include({ ticket: visitor.chat });
    expect(anna.socket.received.filter((m) => m.type === 'offer')).to.have.length(1);
  });

  it('gives an estimate once operators are staffed, and learns from handled chats', async () => {
    const { operator: anna, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    server.manualClock!.advance(5 * 60_000);
    anna.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await anna.socket.next('ended');
    expect(await server.store.recentHandleTimes('1712')).to.deep.equal([300]);

    // Anna is busy with a new chat, so the next visitor waits for one 5-minute handle time.
    const busy = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await anna.acceptNextOffer();
    await busy.connected();
    const waitingSocket = await visitorSocket(server);
    waitingSocket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: visitor.cipher.publicKey });
    expect(await waitingSocket.next('queued')).to.include({ position: 1, estimate: 300 });
  });

  it('shows a closed line as closed instead of queueing', async () => {
    await server.close();
    server = await startTestServer({ clock: 'manual', config: { ignoreHours: false } });
    // The manual clock starts on Monday 2026-11-23 at 11:00 Brussels time; 13 hours later it is 00:00.
    server.manualClock!.advance(13 * 3600_000);
    const lines = (await (await fetch(`${server.url}/api/lines`)).json()) as { lines: { id: string; open: boolean }[] };
    expect(lines.lines.find((l) => l.id === '1712')?.open).to.equal(false);
    expect(lines.lines.find((l) => l.id === 'ecoute-violences-conjugales')?.open).to.equal(true);
    const socket = await visitorSocket(server);
    socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: 'A'.repeat(43) });
    expect(await socket.next('error')).to.include({ code: 'ERR_LINE_CLOSED' });
    expect(await socket.closed).to.equal(4003);
  });
});
