import { expect } from 'chai';
import pino from 'pino';
import { systemClock } from '../../server/clock.js';
import { openSharedState, type SharedState } from '../../server/shared-state.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startRedisCluster, type RedisClusterProcess } from '../support/redis-servers.js';
import { operatorSocket, SocketClient, visitorSocket } from '../support/socket-client.js';
import { TestOperator, TestVisitor } from '../support/chat-parties.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

/** Two nodes on a 3-master Redis Cluster: per-ticket hash tags and sharded pub/sub at work. */
describe('Two nodes on a Redis Cluster', function () {
  this.timeout(30_000);
  let cluster: RedisClusterProcess;
  const states: SharedState[] = [];
  const nodes: TestServer[] = [];

  before(async () => {
    cluster = await startRedisCluster();
    for (const nodeId of ['node-a', 'node-b']) {
      const shared = await openSharedState({ clusterNodes: cluster.rootNodes, prefix: 'cl', clock: systemClock, logger: pino({ level: 'silent' }) });
      states.push(shared);
      nodes.push(await startTestServer({ operators: [{ id: 'anna', ...nl }], shared: { ...shared, keyPrefix: 'cl' }, nodeId }));
    }
  });
  after(async () => {
    for (const n of nodes) await n.close();
    for (const s of states) await s.close();
    await cluster?.stop();
  });

  it('relays several chats across nodes and resumes a visitor on the other node', async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    expect(states[0]!.kind).to.equal('redis-cluster');
    const anna = new TestOperator(await operatorSocket(b, 'anna'));
    await anna.available();
    // Three chats: their tickets hash to different slots, most likely different masters.
    const chats: { visitor: TestVisitor; chat: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const visitor = await TestVisitor.request(await visitorSocket(a), '1712', 'nl', 'violence');
      const chat = await anna.acceptNextOffer();
      await visitor.connected();
      chats.push({ visitor, chat });
    }
    for (const [i, { visitor, chat }] of chats.entries()) {
      await visitor.say(`hello ${i}`);
      expect(await anna.hear(chat)).to.equal(`hello ${i}`);
      await anna.say(chat, `welcome ${i}`);
      expect(await visitor.hear()).to.equal(`welcome ${i}`);
    }

    const { visitor, chat } = chats[0]!;
    visitor.socket.socket.terminate();
    await visitor.socket.closed;
    await anna.say(chat, 'while you were away');
    const back = await SocketClient.open(`${b.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, { Origin: b.url });
    back.send({ type: 'resume', token: visitor.token, received: 1 });
    await back.next('connected');
    const missed = await back.next<{ seq: number; data: string }>('msg');
    expect(visitor.cipher.open(missed.seq, missed.data).body).to.equal('while you were away');
  });
});
