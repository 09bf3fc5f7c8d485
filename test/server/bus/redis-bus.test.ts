import { expect } from 'chai';
import { channels, type Bus } from '../../../server/bus/bus.js';
import { RedisBus } from '../../../server/bus/redis-bus.js';
import { StoreUnavailableError } from '../../../server/store/store.js';
import { startRedis, startRedisCluster, type RedisClusterProcess, type RedisProcess } from '../../support/redis-servers.js';

/** Collects what a channel delivers; resolves `next()` when the n-th message is there. */
function inbox(): { messages: string[]; handler: (m: unknown) => void; count(n: number): Promise<void> } {
  const messages: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    messages,
    handler: (m) => {
      messages.push((m as { text: string }).text);
      for (const w of waiters.filter((w) => messages.length >= w.n)) w.resolve();
    },
    count: (n) => (messages.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

for (const mode of ['single Redis', '3-master Cluster (sharded pub/sub)'] as const) {
  describe(`RedisBus on a ${mode}`, function () {
    this.timeout(30_000);
    let single: RedisProcess | null = null;
    let cluster: RedisClusterProcess | null = null;
    let nodeA: Bus;
    let nodeB: Bus;

    const connect = () => RedisBus.connect(single ? { url: single.url } : { clusterNodes: cluster!.rootNodes });

    before(async () => {
      if (mode === 'single Redis') single = await startRedis({ dedicated: true, persist: true });
      else cluster = await startRedisCluster();
    });
    after(async () => {
      await single?.dispose();
      await cluster?.stop();
    });
    beforeEach(async () => {
      [nodeA, nodeB] = [await connect(), await connect()];
    });
    afterEach(async () => {
      await nodeA.close();
      await nodeB.close();
    });

    it("carries messages from one node to the node subscribed to the channel, each channel's in publish order", async () => {
      const box = inbox();
      // Channels of many tickets land on different shards of a Cluster.
      const chans = ['ticket-aaaa', 'ticket-bbbb', 'ticket-cccc', 'ticket-dddd'].map((t) => channels.visitor('ql', t));
      for (const c of chans) await nodeB.subscribe(c, box.handler);
      for (let i = 0; i < 20; i++) await nodeA.publish(chans[i % chans.length]!, { text: `${i % chans.length}:${i}` });
      await box.count(20);
      // Shards deliver over separate connections: order holds per channel, as chats need.
      for (let c = 0; c < chans.length; c++) {
        const expected = Array.from({ length: 20 }, (_, i) => i).filter((i) => i % chans.length === c).map((i) => `${c}:${i}`);
        expect(box.messages.filter((m) => m.startsWith(`${c}:`))).to.deep.equal(expected);
      }
    });

    it('stops delivering a channel once unsubscribed, one channel at a time', async () => {
      const kept = inbox();
      const dropped = inbox();
      const [a, b] = [channels.operator('ql', 'anna'), channels.operator('ql', 'bert')];
      await nodeB.subscribe(a, kept.handler);
      await nodeB.subscribe(b, dropped.handler);
      await nodeB.unsubscribe(b);
      await nodeA.publish(b, { text: 'not for you' });
      await nodeA.publish(a, { text: 'for you' });
      await kept.count(1);
      expect(kept.messages).to.deep.equal(['for you']);
      expect(dropped.messages).to.deep.equal([]);
    });

    if (mode === 'single Redis') {
      it('refuses to publish while Redis is down, subscribes again after it returns, and says it reconnected', async () => {
        const box = inbox();
        const channel = channels.visitor('ql', 'ticket-eeee');
        let reconnected = false;
        nodeB.onReconnect(() => (reconnected = true));
        await nodeB.subscribe(channel, box.handler);
        await single!.kill();
        let refused: unknown = null;
        await nodeA.publish(channel, { text: 'lost' }).catch((error: unknown) => (refused = error));
        expect(refused).to.be.instanceOf(StoreUnavailableError);
        await single!.restart();
        // Both clients reconnect by themselves; publish until the resubscribed node hears it.
        for (let i = 0; box.messages.length === 0 && i < 200; i++) {
          await nodeA.publish(channel, { text: 'back' }).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(box.messages[0]).to.equal('back');
        // So the node catches its sockets up on what the bus lost meanwhile.
        expect(reconnected).to.equal(true);
      });
    }
  });
}
