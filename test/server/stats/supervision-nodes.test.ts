import { expect } from 'chai';
import pino from 'pino';
import type { SupervisorMessage } from '../../../protocol/supervisor-messages.js';
import { systemClock } from '../../../server/clock.js';
import { openSharedState, type SharedState } from '../../../server/shared-state.js';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { startRedis, type RedisProcess } from '../../support/redis-servers.js';
import { operatorSocket, visitorSocket, type SocketClient } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const PREFIX = 'supervision-nodes';
const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

/**
 * The live view comes from the store, not from one process: a supervisor whose console is on
 * node B sees what visitors and operators on node A do, and two supervisors on two nodes are
 * shown the same queues. Two nodes in this process on one real Redis, each with its own
 * connections; real time, so each round is the feed's own 2 s.
 */
describe('The supervisor view across nodes on Redis', () => {
  let redis: RedisProcess;
  const shared: SharedState[] = [];
  const nodes: TestServer[] = [];

  before(async () => {
    redis = await startRedis();
    for (const nodeId of ['node-a', 'node-b']) {
      const state = await openSharedState({ redisUrl: redis.url, prefix: PREFIX, clock: systemClock, logger: pino({ level: 'silent' }) });
      shared.push(state);
      nodes.push(await startTestServer({
        nodeId,
        operators: [{ id: 'anna', ...nl }, { id: 'sofie', name: 'Sofie', role: 'supervisor', ...nl }, { id: 'jo', name: 'Jo', role: 'admin', ...nl }],
        shared: { store: state.store, bus: state.bus, keyPrefix: PREFIX },
      }));
    }
  });
  after(async () => {
    for (const node of nodes) await node.close();
    for (const state of shared) await state.close();
    await redis?.stop();
  });

  /** The next round whose 1712 Dutch chat queue passes `test`. */
  async function until(socket: SocketClient, test: (queue: SupervisorMessage['queues'][number] | undefined, m: SupervisorMessage) => boolean): Promise<SupervisorMessage> {
    for (;;) {
      const m = await socket.next<SupervisorMessage>('supervisor');
      const queue = m.queues.find((q) => q.line === '1712' && q.language === 'nl' && q.topic === 'violence' && q.channel === 'chat');
      if (test(queue, m)) return m;
    }
  }

  it('shows a supervisor on node B, and an admin on node A, the visitor waiting on node A and then the operator answering there', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const sofie = await operatorSocket(b, 'sofie');
    const jo = await operatorSocket(a, 'jo');
    const visitor = await TestVisitor.request(await visitorSocket(a), '1712', 'nl', 'violence');
    // The count is written just after the visitor is told their place: a round may fall between.
    const waiting = (q: SupervisorMessage['queues'][number] | undefined) => q?.waiting === 1 && q.today.requested === 1;
    const onB = await until(sofie, waiting);
    const onA = await until(jo, waiting);
    // The same queues on both nodes (the longest wait grows between their rounds).
    const busy = (m: SupervisorMessage) => m.queues.filter((q) => q.waiting > 0).map(({ longestWaitSeconds: _grows, ...q }) => q);
    expect(busy(onB)).to.deep.equal(busy(onA)).and.to.have.length(1);

    const anna = new TestOperator(await operatorSocket(a, 'anna'));
    await anna.available();
    await anna.acceptNextOffer();
    await visitor.connected();
    const answered = await until(sofie, (q, m) => q?.waiting === 0 && q.today.answered === 1 && m.operators.some((o) => o.id === 'anna' && o.active === 1));
    expect(answered.operators.find((o) => o.id === 'anna')).to.deep.include({ status: 'available', active: 1 });
  });
});
