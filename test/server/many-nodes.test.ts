import { expect } from 'chai';
import { LocalBusHub } from '../../server/bus/local-bus.js';
import { ManualClock } from '../../server/clock.js';
import { newTicket } from '../../server/routing/new-ticket.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import type { Store } from '../../server/store/store.js';
import { FULL_SWEEP_EVERY_MS, SWEEP_EVERY_MS, SWEEP_LEASE_MS } from '../../server/relay/sweeper.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { operatorSocket, SocketClient, visitorSocket } from '../support/socket-client.js';
import { connectedChat, TestOperator } from '../support/chat-parties.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };
const request = { line: '1712', language: 'nl', topic: 'violence' };

/**
 * Several nodes in one process: one shared MemoryStore and one in-process bus hub stand in
 * for Redis (the multi-process tests use a real one). The clock is manual and shared; it is
 * moved in sweeper-sized steps, letting each node's sweep finish in between, as real time
 * would.
 */
describe('Many nodes sharing one store and bus', () => {
  let clock: ManualClock;
  let store: MemoryStore;
  let hub: LocalBusHub;
  let nodes: TestServer[];

  async function node(nodeId: string, faults?: 'outage', through: Store = store): Promise<TestServer> {
    const server = await startTestServer({
      clock,
      operators: [{ id: 'anna', ...nl, capacity: 1 }],
      shared: { store: through, bus: hub.connect() },
      nodeId,
      ...(faults ? { faults } : {}),
    });
    nodes.push(server);
    return server;
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  async function elapse(ms: number): Promise<void> {
    for (let done = 0; done < ms; done += SWEEP_EVERY_MS) {
      clock.advance(Math.min(SWEEP_EVERY_MS, ms - done));
      await settle();
    }
  }

  beforeEach(async () => {
    clock = new ManualClock();
    store = new MemoryStore(clock);
    await store.init();
    hub = new LocalBusHub();
    nodes = [];
  });

  afterEach(async () => {
    for (const n of nodes) await n.close();
    await store.close();
  });

  async function pair(): Promise<{ a: TestServer; b: TestServer }> {
    return { a: await node('node-a'), b: await node('node-b') };
  }

  it('relays a chat between a visitor on one node and an operator on another, both ways', async () => {
    const { a, b } = await pair();
    const { operator: anna, visitor, chat } = await connectedChat(b, 'anna', request, a);
    await visitor.say('hallo');
    expect(await anna.hear(chat)).to.equal('hallo');
    await anna.say(chat, 'dag');
    expect(await visitor.hear()).to.equal('dag');
  });

  it('offers one free operator one chat when two nodes route at the same moment', async () => {
    // Reads that yield, as Redis's do: two routing runs then read the queue before either offers.
    const yielding = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
        return property === 'listPresence' || property === 'waitingTickets'
          ? async (...args: unknown[]) => {
              await new Promise((resolve) => setImmediate(resolve));
              return call(...args);
            }
          : call;
      },
    });
    const [a, b] = [await node('node-a', undefined, yielding), await node('node-b', undefined, yielding)];
    const anna = new TestOperator(await operatorSocket(a, 'anna'));
    await anna.available();
    const [one, two] = [await visitorSocket(a), await visitorSocket(b)];
    for (const socket of [one, two]) socket.send({ type: 'request', ...request, key: 'k'.repeat(43) });
    await Promise.all([one.next('queued'), two.next('queued')]);
    await anna.socket.next('offer');
    for (let i = 0; i < 20; i++) await settle();
    expect(anna.socket.received.filter((m) => m.type === 'offer')).to.have.length(1);
  });

  it('lets a visitor resume on another node with everything they missed, once and in order', async () => {
    const { a, b } = await pair();
    const { operator: anna, visitor, chat } = await connectedChat(b, 'anna', request, a);
    await anna.say(chat, 'one');
    expect(await visitor.hear()).to.equal('one');

    visitor.socket.socket.terminate();
    await visitor.socket.closed;
    for (const body of ['two', 'three', 'four']) await anna.say(chat, body);

    const back = await SocketClient.open(`${b.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, { Origin: b.url });
    back.send({ type: 'resume', token: visitor.token, received: 1 });
    await back.next('resumed');
    await back.next('connected');
    const heard: string[] = [];
    for (let i = 0; i < 3; i++) {
      const msg = await back.next<{ seq: number; data: string }>('msg');
      heard.push(visitor.cipher.open(msg.seq, msg.data).body);
    }
    expect(heard).to.deep.equal(['two', 'three', 'four']);
    await anna.say(chat, 'five');
    const five = await back.next<{ seq: number; data: string }>('msg');
    expect(visitor.cipher.open(five.seq, five.data).body).to.equal('five');
    expect(back.received.filter((m) => m.type === 'msg')).to.have.length(4);
  });

  it('does not let the grace timer of the old node end a chat the visitor resumed on another', async () => {
    const { a, b } = await pair();
    const { operator: anna, visitor, chat } = await connectedChat(b, 'anna', request, a);
    visitor.socket.socket.terminate();
    await visitor.socket.closed;
    await settle();
    expect((await store.getTicket(chat))?.visitorNode).to.equal(null);

    const back = await SocketClient.open(`${b.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, { Origin: b.url });
    back.send({ type: 'resume', token: visitor.token, received: 0 });
    await back.next('connected');
    await elapse(a.config.reconnectGraceMs + FULL_SWEEP_EVERY_MS);

    const ticket = await store.getTicket(chat);
    expect(ticket).to.include({ state: 'active', visitorNode: 'node-b' });
    expect(back.has('ended')).to.equal(false);
    await anna.say(chat, 'still here');
    const msg = await back.next<{ seq: number; data: string }>('msg');
    expect(visitor.cipher.open(msg.seq, msg.data).body).to.equal('still here');
  });

  it('marks away, then purges after the grace, a waiting visitor whose node died without a word', async () => {
    await node('node-b');
    const ticket = newTicket(
      'ghost-visitor-ticket-0001',
      { ...request, visitorKey: 'k'.repeat(43), tokenHash: 'h'.repeat(43) },
      clock.now(),
      'node-that-died',
    );
    await store.createTicket(ticket, 3600_000);
    await elapse(FULL_SWEEP_EVERY_MS);
    expect((await store.getTicket(ticket.id))?.visitorNode).to.equal(null);
    await elapse(nodes[0]!.config.reconnectGraceMs + FULL_SWEEP_EVERY_MS);
    expect(await store.getTicket(ticket.id)).to.equal(undefined);
  });

  it('ends the chats of an operator whose node died, once the grace has passed, and tells the visitor', async () => {
    const { a, b } = await pair();
    const { operator: anna, visitor, chat } = await connectedChat(a, 'anna', request, b);
    // Node A dies: its consoles stop without a word, and it stops saying it is alive.
    await store.forgetNode('node-a');
    const presence = await store.getPresence('anna');
    expect(presence?.nodes).to.deep.equal(['node-a']);
    await a.close().catch(() => undefined); // a drain would detach properly: undo that below
    await store.upsertPresence({ id: 'anna', name: 'anna', ...nl, capacity: 3 }, 'available', clock.now(), 3600_000);
    await store.attachConsole('anna', 'node-a');
    nodes.splice(nodes.indexOf(a), 1);

    // Node A may have held the sweep lease: another node takes it over once it runs out.
    await elapse(SWEEP_LEASE_MS + SWEEP_EVERY_MS);
    expect((await store.getPresence('anna'))?.nodes).to.deep.equal([]);
    expect(visitor.socket.has('ended')).to.equal(false);
    await elapse(b.config.reconnectGraceMs + FULL_SWEEP_EVERY_MS);
    expect(await visitor.socket.next('ended')).to.deep.equal({ type: 'ended', by: 'system' });
    expect((await store.getTicket(chat))?.state).to.equal('ended');
  });

  it('judges no node dead right after the store comes back, before live nodes could write a heartbeat again', async () => {
    const a = await node('node-a', 'outage');
    const b = await node('node-b');
    await settle();
    const { visitor, chat } = await connectedChat(b, 'anna', request, b);
    await visitor.say('hallo');
    // Redis was away for a while: node B's heartbeat ran out meanwhile.
    await store.forgetNode('node-b');
    a.outage!.start();
    a.outage!.end();
    await settle();
    expect(await store.getTicket(chat)).to.include({ state: 'active', visitorNode: 'node-b' });
    // B writes its heartbeat again within one round; nothing is detached later either.
    await elapse(FULL_SWEEP_EVERY_MS + SWEEP_EVERY_MS);
    expect(await store.getTicket(chat)).to.include({ state: 'active', visitorNode: 'node-b' });
  });

  it('drains a node on close: clients are told to reconnect (1012) and the visitor resumes elsewhere', async () => {
    const { a, b } = await pair();
    const { operator: anna, visitor, chat } = await connectedChat(b, 'anna', request, a);
    await visitor.say('before the restart');
    expect(await anna.hear(chat)).to.equal('before the restart');

    await a.close();
    nodes.splice(nodes.indexOf(a), 1);
    expect(await visitor.socket.closed).to.equal(1012);
    expect(await store.getTicket(chat)).to.include({ state: 'active', visitorNode: null });
    expect((await store.liveNodes(clock.now())).has('node-a')).to.equal(false);
    // Node A started first and held the sweep lease; it handed it on as it left.
    expect(await store.claimLease('sweep', 'node-c', clock.now(), 60_000)).to.equal(true);

    const back = await SocketClient.open(`${b.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, { Origin: b.url });
    back.send({ type: 'resume', token: visitor.token, received: 0 });
    await back.next('connected');
    const { seq, data } = visitor.cipher.seal({ t: 'text', body: 'after the restart' });
    back.send({ type: 'msg', seq, data });
    await back.next('ack');
    expect(await anna.hear(chat)).to.equal('after the restart');
  });
});
