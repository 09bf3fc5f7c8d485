import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { operatorSocket, visitorSocket } from '../support/socket-client.js';
import { connectedChat, TestOperator, TestVisitor } from '../support/chat-parties.js';
import { ChatCipher } from '../../e2e/chat-cipher.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };
const request = { line: '1712', language: 'nl', topic: 'violence' };

/** The store (Redis, in production) goes away and comes back; nothing may crash or be lost. */
describe('A store that goes away and comes back', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ operators: [{ id: 'anna', ...nl }], faults: 'outage' });
  });
  afterEach(() => server.close());

  it('keeps live sockets open, refuses a message by its number, and takes it again once the store is back', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    server.outage!.start();
    expect(await visitor.socket.next('service')).to.deep.equal({ type: 'service', state: 'degraded' });
    expect(await operator.socket.next('service')).to.deep.equal({ type: 'service', state: 'degraded' });

    const { seq, data } = visitor.cipher.seal({ t: 'text', body: 'are you still there?' });
    visitor.socket.send({ type: 'msg', seq, data });
    expect(await visitor.socket.next('error')).to.deep.equal({ type: 'error', code: 'ERR_UNAVAILABLE', seq });
    expect(visitor.socket.closeCode).to.equal(null);
    expect(operator.socket.has('msg')).to.equal(false);

    server.outage!.end();
    expect(await visitor.socket.next('service')).to.deep.equal({ type: 'service', state: 'ok' });
    visitor.socket.send({ type: 'msg', seq, data });
    expect(await visitor.socket.next('ack')).to.deep.equal({ type: 'ack', seq });
    expect(await operator.hear(chat)).to.equal('are you still there?');
    // And once only, even if the widget resends it again.
    visitor.socket.send({ type: 'msg', seq, data });
    await visitor.socket.next('ack');
    await operator.say(chat, 'yes');
    expect(operator.socket.received.filter((m) => m.type === 'msg')).to.have.length(1);
  });

  it('names the offer of an accept and the chat of an end it could not store, so the console can send each again', async () => {
    const operator = new TestOperator(await operatorSocket(server, 'anna'));
    await operator.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), request.line, request.language, request.topic);
    const offer = await operator.socket.next<{ ticket: string }>('offer');
    const key = (await ChatCipher.create('operator')).publicKey;
    server.outage!.failOnly(['acceptOffer']);
    operator.socket.send({ type: 'accept', ticket: offer.ticket, key });
    expect(await operator.socket.next('error')).to.deep.equal({ type: 'error', code: 'ERR_UNAVAILABLE', ticket: offer.ticket });
    server.outage!.end();
    operator.socket.send({ type: 'accept', ticket: offer.ticket, key });
    expect((await operator.socket.next<{ chat: string }>('assigned')).chat).to.equal(visitor.chat);

    server.outage!.failOnly(['endTicket']);
    operator.socket.send({ type: 'end', chat: visitor.chat, wrapUp: 'information' });
    expect(await operator.socket.next('error')).to.deep.equal({ type: 'error', code: 'ERR_UNAVAILABLE', chat: visitor.chat });
    server.outage!.end();
    operator.socket.send({ type: 'end', chat: visitor.chat, wrapUp: 'information' });
    expect(await operator.socket.next('ended')).to.include({ chat: visitor.chat });
  });

  it('tells a new visitor the chat is briefly unavailable, keeps their socket, and queues them once it is back', async () => {
    server.outage!.start();
    const socket = await visitorSocket(server);
    socket.send({ type: 'request', ...request, key: 'k'.repeat(43) });
    expect(await socket.next('error')).to.deep.equal({ type: 'error', code: 'ERR_UNAVAILABLE' });
    expect(socket.closeCode).to.equal(null);
    server.outage!.end();
    const visitor = await TestVisitor.request(socket, request.line, request.language, request.topic);
    expect(visitor.chat).to.have.length(22);
  });

  it('still gives a new visitor their token when the store fails right after their ticket is stored', async () => {
    server.outage!.failOnly(['queuePositions', 'countAggregate']);
    const socket = await visitorSocket(server);
    const visitor = await TestVisitor.request(socket, request.line, request.language, request.topic);
    expect(visitor.token).to.have.length.greaterThan(22);
    server.outage!.end();
    const operator = new TestOperator(await operatorSocket(server, 'anna'));
    await operator.available();
    expect(await operator.acceptNextOffer()).to.equal(visitor.chat);
  });

  it('lets a visitor quick-exit while the store is away, and ends and purges the chat once it is back', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    server.outage!.start();
    visitor.socket.send({ type: 'end', quick: true });
    expect(await visitor.socket.next('ended')).to.deep.equal({ type: 'ended', by: 'visitor' });
    await visitor.socket.closed;
    expect(await server.store.getTicket(chat)).to.not.equal(undefined);
    server.outage!.end();
    expect(await operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat, by: 'visitor', quick: true });
    expect(await server.store.getTicket(chat)).to.equal(undefined);
  });

  it('accepts a leave beacon while the store is away (202) and ends the chat once it is back', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    visitor.socket.socket.terminate();
    server.outage!.start();
    const res = await fetch(`${server.url}/api/chat/leave`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: server.url },
      body: JSON.stringify({ token: visitor.token, quick: true }),
    });
    expect(res.status).to.equal(202);
    server.outage!.end();
    expect(await operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat, by: 'visitor', quick: true });
    expect(await server.store.getTicket(chat)).to.equal(undefined);
  });

  it('never lets a flood of beacons during an outage crowd out a real quick exit', async () => {
    await server.close();
    server = await startTestServer({ operators: [{ id: 'anna', ...nl }], faults: 'outage', limits: { leaveBeaconsWhenBack: 2 } });
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    server.outage!.start();
    for (let i = 0; i < 3; i++) {
      await fetch(`${server.url}/api/chat/leave`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: server.url },
        body: JSON.stringify({ token: `junk-token-${i}-${'x'.repeat(40)}`, quick: true }),
      });
    }
    visitor.socket.send({ type: 'end', quick: true });
    await visitor.socket.closed;
    server.outage!.end();
    expect(await operator.socket.next('ended')).to.include({ chat, by: 'visitor' });
    expect(await server.store.getTicket(chat)).to.equal(undefined);
  });

  it('answers /readyz with 503 while the store is away, and 200 again after', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).to.equal(200);
    server.outage!.start();
    const during = await fetch(`${server.url}/readyz`);
    expect(during.status).to.equal(503);
    expect(await during.json()).to.deep.equal({ status: 'store-unavailable' });
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    server.outage!.end();
    expect((await fetch(`${server.url}/readyz`)).status).to.equal(200);
  });
});
