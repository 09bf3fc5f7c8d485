import { expect } from 'chai';
import pino from 'pino';
import { channels } from '../../../server/bus/bus.js';
import { localBus } from '../../../server/bus/local-bus.js';
import { ManualClock } from '../../../server/clock.js';
import { LocalConnections } from '../../../server/relay/connections.js';
import type { OperatorPeer, VisitorPeer } from '../../../server/relay/outbox.js';
import { MemoryStore } from '../../../server/store/memory-store.js';
import { waitingTicket } from '../../support/routing-fixtures.js';

/** A socket's stand-in: what it was sent, in order. */
function fakePeer<P>(): { peer: P; sent: { type: string; seq?: number; data?: string; chat?: string }[] } {
  const sent: { type: string }[] = [];
  const peer = { open: true, send: (m: { type: string }) => void sent.push(m), close: () => undefined };
  return { peer: peer as unknown as P, sent: sent as never };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('Delivery to this node\'s sockets: exactly once and in order, whatever the bus does', () => {
  const prefix = 'ql';
  let store: MemoryStore;
  let bus: ReturnType<typeof localBus>;
  let connections: LocalConnections;

  beforeEach(async () => {
    store = new MemoryStore(new ManualClock());
    await store.init();
    bus = localBus();
    connections = new LocalConnections(store, bus, prefix, pino({ level: 'silent' }));
    await store.createTicket(waitingTicket('chat-1', 0), 3600_000);
  });
  afterEach(() => store.close());

  const publishToVisitor = (seq: number) =>
    bus.publish(channels.visitor(prefix, 'chat-1'), { type: 'msg', seq, data: `c${seq}` });

  it('fills a gap from the store before the message that revealed it (a publish the bus lost)', async () => {
    const { peer, sent } = fakePeer<VisitorPeer>();
    await connections.attachVisitor('chat-1', peer, 1, 0);
    connections.markConnected('chat-1', peer);
    for (const seq of [1, 2, 3]) await store.appendMessage('chat-1', 'operator', { seq, data: `c${seq}` });
    await publishToVisitor(1);
    await publishToVisitor(3); // 2 was stored, its publish lost
    await settle();
    expect(sent.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
  });

  it('drops a message the socket was already sent (a publish repeated after a node died)', async () => {
    const { peer, sent } = fakePeer<VisitorPeer>();
    await connections.attachVisitor('chat-1', peer, 1, 0);
    for (const seq of [1, 2]) await store.appendMessage('chat-1', 'operator', { seq, data: `c${seq}` });
    for (const seq of [1, 2, 1, 2, 2]) await publishToVisitor(seq);
    await settle();
    expect(sent.map((m) => m.seq)).to.deep.equal([1, 2]);
  });

  it('starts a resumed socket after what it says it received, and catches it up once', async () => {
    const { peer, sent } = fakePeer<VisitorPeer>();
    for (const seq of [1, 2, 3]) await store.appendMessage('chat-1', 'operator', { seq, data: `c${seq}` });
    await connections.attachVisitor('chat-1', peer, 2, 1);
    connections.markConnected('chat-1', peer);
    await connections.catchUpVisitor('chat-1');
    await publishToVisitor(3);
    await settle();
    expect(sent.map((m) => m.seq)).to.deep.equal([2, 3]);
  });

  it('catches every socket up after the store was away (resync)', async () => {
    const visitor = fakePeer<VisitorPeer>();
    const operator = fakePeer<OperatorPeer>();
    await connections.attachVisitor('chat-1', visitor.peer, 1, 0);
    connections.markConnected('chat-1', visitor.peer);
    await connections.attachOperator('anna', operator.peer);
    await connections.replayChat('anna', operator.peer, 'chat-1', { type: 'assigned', chat: 'chat-1' } as never);
    await store.appendMessage('chat-1', 'operator', { seq: 1, data: 'o1' });
    await store.appendMessage('chat-1', 'visitor', { seq: 1, data: 'v1' });
    await connections.resync();
    expect(visitor.sent.map((m) => m.seq)).to.deep.equal([1]);
    expect(operator.sent.filter((m) => m.type === 'msg').map((m) => [m.chat, m.seq])).to.deep.equal([['chat-1', 1]]);
  });

  it('sends the operator\'s key first when the `connected` of the accept was lost with a node', async () => {
    const { peer, sent } = fakePeer<VisitorPeer>();
    await connections.attachVisitor('chat-1', peer, 1, 0);
    await store.upsertPresence({ id: 'anna', name: 'Anna', lines: ['1712'], languages: ['nl'], topics: ['violence'], capacity: 1 }, 'available', 0, 3600_000);
    await store.offerTicket('chat-1', { operatorId: 'anna', expiresAt: 60_000 }, 0);
    expect((await store.acceptOffer('chat-1', 'anna', 'operator-key', 0)).ok).to.equal(true);
    for (const seq of [1, 2]) await store.appendMessage('chat-1', 'operator', { seq, data: `c${seq}` });
    await publishToVisitor(2); // `connected` and message 1 never came through the bus
    await settle();
    expect(sent.map((m) => m.type)).to.deep.equal(['connected', 'msg', 'msg']);
    expect(sent[0]).to.include({ key: 'operator-key' });
  });

  it('holds what the bus brings for a resuming socket until the resume has said `resumed` and `connected`', async () => {
    const { peer, sent } = fakePeer<VisitorPeer>();
    for (const seq of [1, 2]) await store.appendMessage('chat-1', 'operator', { seq, data: `c${seq}` });
    let opened!: () => void;
    await connections.attachVisitor('chat-1', peer, 2, 0, new Promise<void>((resolve) => (opened = resolve)));
    connections.markConnected('chat-1', peer);
    await publishToVisitor(2);
    await settle();
    expect(sent).to.deep.equal([]);
    peer.send({ type: 'resumed', chat: 'chat-1' } as never);
    opened();
    await settle();
    expect(sent.map((m) => m.seq ?? m.type)).to.deep.equal(['resumed', 1, 2]);
  });

  it('closes a socket here as replaced when the visitor attaches with a newer epoch on another node', async () => {
    let closed: number | null = null;
    const { peer } = fakePeer<VisitorPeer>();
    (peer as unknown as { close: (code: number) => void }).close = (code) => void (closed = code);
    await connections.attachVisitor('chat-1', peer, 1, 0);
    await bus.publish(channels.visitor(prefix, 'chat-1'), { type: 'replaced', epoch: 2 });
    expect(closed).to.equal(4006);
    expect(connections.localVisitors()).to.deep.equal([]);
  });
});
