import { expect } from 'chai';
import type { WaitingQueue } from '../../../protocol/operator-messages.js';
import { QUEUE_COUNTS_EVERY_MS } from '../../../server/relay/queue-counts.js';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { operatorSocket, visitorSocket, type SocketClient } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Every console is told how many wait in each queue its operator serves — away, or at full
 * capacity too — and nothing about queues they do not serve. The clock is manual.
 */
describe('Queue counts for operators', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  /** The next `waiting` frame's queue of 1712 · nl · violence (chat). */
  async function violence(socket: SocketClient): Promise<WaitingQueue> {
    const m = await socket.next<{ queues: WaitingQueue[] }>('waiting');
    return m.queues.find((q) => q.line === '1712' && q.language === 'nl' && q.topic === 'violence' && q.channel === 'chat')!;
  }

  it('tells an operator at full capacity how many wait in each of their queues, and only theirs', async () => {
    server = await startTestServer({
      clock: 'manual',
      operators: [{ id: 'anna', lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse'], capacity: 1 }],
    });
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    const first = await anna.socket.next<{ queues: WaitingQueue[] }>('waiting');
    // Both of her queues, at 0; no other line, language or topic.
    expect(first.queues.map((q) => `${q.line}/${q.language}/${q.topic}/${q.channel}/${q.waiting}`)).to.deep.equal(['1712/nl/violence/chat/0', '1712/nl/abuse/chat/0']);

    await anna.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await anna.acceptNextOffer();
    await visitor.connected();
    // At capacity now: two more arrive and wait, and she is told.
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(60_000);
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    let queue = await violence(anna.socket);
    while (queue.waiting !== 2) {
      server.manualClock!.advance(QUEUE_COUNTS_EVERY_MS);
      queue = await violence(anna.socket);
    }
    expect(queue.longestWaitSeconds).to.be.at.least(60);
    // Nothing changed: no new frame.
    const frames = anna.socket.received.filter((m) => m.type === 'waiting').length;
    server.manualClock!.advance(QUEUE_COUNTS_EVERY_MS);
    server.manualClock!.advance(QUEUE_COUNTS_EVERY_MS);
    await new Promise((resolve) => setImmediate(resolve));
    expect(anna.socket.received.filter((m) => m.type === 'waiting').length).to.equal(frames);
  });

  it('tells an operator who is away too, and says when the queue is empty again', async () => {
    server = await startTestServer({ clock: 'manual', operators: [{ id: 'bo', lines: ['1712'], languages: ['nl'], topics: ['violence'] }] });
    const bo = await operatorSocket(server, 'bo');
    await bo.next('welcome');
    expect((await violence(bo)).waiting).to.equal(0);
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(QUEUE_COUNTS_EVERY_MS);
    expect((await violence(bo)).waiting).to.equal(1);
    visitor.socket.send({ type: 'end', quick: false });
    await visitor.socket.next('ended');
    server.manualClock!.advance(QUEUE_COUNTS_EVERY_MS);
    expect(await violence(bo)).to.include({ waiting: 0, longestWaitSeconds: 0 });
  });
});
