import { expect } from 'chai';
import pino from 'pino';
import { systemClock } from '../../../server/clock.js';
import { openSharedState, type SharedState } from '../../../server/shared-state.js';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { startMonitoredRedis, type MonitoredRedis } from '../../support/redis-monitor.js';
import { operatorSocket, visitorSocket } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const PREFIX = 'stats';
const FIELD = /^(requested|answered|inTarget|abandoned|shortAbandoned|overflowed|moved|declined|expired|handled|handleMinutes|staffedMinutes|wait:(\d+|inf)|wrapUp:[a-z-]+)$/;

/**
 * Every statistics record Redis holds after real chats is a bucket of counts: no row per
 * contact, no ticket id, no time finer than a quarter hour (privacy invariant 5).
 */
describe('Statistics in Redis, record by record', () => {
  let monitored: MonitoredRedis;
  let shared: SharedState;
  let server: TestServer;
  const chats: string[] = [];

  before(async () => {
    monitored = await startMonitoredRedis();
    shared = await openSharedState({ redisUrl: monitored.redis.url, prefix: PREFIX, clock: systemClock, logger: pino({ level: 'silent' }) });
    server = await startTestServer({
      operators: [{ id: 'anna', lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse'], capacity: 2 }],
      shared: { store: shared.store, bus: shared.bus, keyPrefix: PREFIX },
    });
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    for (const topic of ['violence', 'abuse']) {
      const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', topic);
      chats.push(visitor.chat);
      const chat = await anna.acceptNextOffer();
      await visitor.connected();
      anna.socket.send({ type: 'end', chat, wrapUp: 'information' });
      await anna.socket.next('ended');
    }
    const gone = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    chats.push(gone.chat);
    gone.socket.send({ type: 'end', quick: false });
    await gone.socket.next('ended');
  });
  after(async () => {
    await server?.close();
    await shared?.close();
    await monitored?.dispose();
  });

  it('holds buckets of known counts at quarter hours and local midnights, and tallies by day, with no ticket id anywhere', async () => {
    const { admin } = monitored;
    const keys = await admin.keys(`${PREFIX}:{agg}:*`);
    const buckets = keys.filter((k) => k.includes(':b:'));
    expect(buckets.length).to.be.at.least(4);
    for (const key of keys) {
      const type = await admin.type(key);
      const content =
        type === 'hash' ? JSON.stringify(await admin.hGetAll(key)) : type === 'zset' ? JSON.stringify(await admin.zRange(key, 0, -1)) : String(await admin.get(key));
      for (const chat of chats) expect(`${key} ${content}`, key).to.not.include(chat);
      expect(await admin.pTTL(key), key).to.be.greaterThan(0);
    }
    for (const key of buckets) {
      const hash = await admin.hGetAll(key);
      const bucket = JSON.parse(hash.key!) as { start: string; span: string };
      expect(Object.keys(JSON.parse(hash.key!)).sort()).to.deep.equal(['channel', 'language', 'line', 'span', 'start', 'topic']);
      expect(Date.parse(bucket.start) % (15 * 60_000), bucket.start).to.equal(0);
      for (const field of Object.keys(hash)) {
        if (field === 'key' || field === 'exp') continue;
        expect(field.slice(2), key).to.match(FIELD);
        expect(Number(hash[field])).to.be.a('number');
      }
    }
    const all = await shared.store.aggregates();
    const day = all.filter((b) => b.span === 'day');
    expect(day.reduce((n, b) => n + (b.counts.requested ?? 0), 0)).to.equal(3);
    expect(day.reduce((n, b) => n + (b.counts['wrapUp:information'] ?? 0), 0)).to.equal(2);
  });
});
