import { expect } from 'chai';
import { createClient } from 'redis';
import { ManualClock } from '../../server/clock.js';
import { RedisLink } from '../../server/store/redis-connection.js';
import { RedisKeys } from '../../server/store/redis-keys.js';
import { encodeRoute } from '../../server/store/redis-records.js';
import * as lua from '../../server/store/redis-scripts.js';
import { RedisStore } from '../../server/store/redis-store.js';
import { StoreUnavailableError, type Store } from '../../server/store/store.js';
import { waitingTicket } from '../support/routing-fixtures.js';
import { deleteKeys, startRedis, startRedisCluster, type RedisClusterProcess, type RedisProcess } from '../support/redis-servers.js';
import { storeContract } from './store-contract.js';

/**
 * RedisStore against real Redis: the store contract on one server and on a 3-master Cluster
 * (both started by the harness, a fresh key prefix per test), then what only many
 * connections and a Redis that goes away can show.
 */
describe('RedisStore', function () {
  this.timeout(30_000);
  let single: RedisProcess;
  let cluster: RedisClusterProcess;
  const prefixes: string[] = [];
  let stores: Store[] = [];

  function nextPrefix(): string {
    const prefix = `qltest-${process.pid}-${prefixes.length + 1}`;
    prefixes.push(prefix);
    return prefix;
  }

  before(async () => {
    [single, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
  });

  after(async () => {
    if (single?.external) await deleteKeys(single.url, prefixes);
    await Promise.all([single?.stop(), cluster?.stop()]);
  });

  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });

  storeContract('RedisStore (single Redis)', (clock) => RedisStore.connect({ url: single.url, prefix: nextPrefix(), clock }));
  storeContract('RedisStore (3-master Cluster)', (clock) => RedisStore.connect({ clusterNodes: cluster.rootNodes, prefix: nextPrefix(), clock }));

  const modes = [
    { name: 'single Redis', connect: (prefix: string, clock: ManualClock) => RedisStore.connect({ url: single.url, prefix, clock }) },
    { name: '3-master Cluster', connect: (prefix: string, clock: ManualClock) => RedisStore.connect({ clusterNodes: cluster.rootNodes, prefix, clock }) },
  ];

  for (const mode of modes) {
    describe(`RedisStore across connections (${mode.name})`, () => {
      const TTL = 60 * 60_000;

      /** `n` stores on separate connections sharing one prefix: `n` nodes of one deployment. */
      async function nodes(n: number, clock: ManualClock, prefix = nextPrefix()): Promise<RedisStore[]> {
        const made = await Promise.all(Array.from({ length: n }, () => mode.connect(prefix, clock)));
        stores.push(...made);
        return made;
      }

      function profile(id: string, capacity: number) {
        return { id, name: id, lines: ['1712'], languages: ['nl'], topics: ['violence'], capacity };
      }

      it('[RS1] hands one ticket to exactly one accept when several nodes accept it at once', async () => {
        const clock = new ManualClock();
        const all = await nodes(6, clock);
        const [a] = all;
        for (const op of ['anna', 'ben']) await a!.upsertPresence(profile(op, 3), 'available', clock.now(), TTL);
        for (let round = 1; round <= 5; round++) {
          const id = `t${round}`;
          await a!.createTicket(waitingTicket(id, clock.now()), TTL);
          expect(await a!.offerTicket(id, { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now())).to.equal(true);
          // anna's console double-fires on every node; ben (not offered) tries too.
          const attempts = all.flatMap((s) => [s.acceptOffer(id, 'anna', 'key', clock.now()), s.acceptOffer(id, 'ben', 'key', clock.now())]);
          const results = await Promise.all(attempts);
          expect(results.filter((r) => r.ok), id).to.have.length(1);
          expect((await all[round]!.getTicket(id))?.operatorId).to.equal('anna');
          await a!.endTicket(id, 'operator', clock.now(), 60_000);
        }
        expect((await a!.getPresence('anna'))?.active).to.deep.equal([]);
        expect((await a!.getPresence('ben'))?.active).to.deep.equal([]);
      });

      it('[RS2] never puts an operator over capacity when many of their offers are accepted from several nodes at once', async () => {
        const clock = new ManualClock();
        const all = await nodes(5, clock);
        const [a] = all;
        await a!.upsertPresence(profile('anna', 2), 'available', clock.now(), TTL);
        const ids = Array.from({ length: 20 }, (_, i) => `t${i}`);
        for (const id of ids) {
          await a!.createTicket(waitingTicket(id, clock.now()), TTL);
          await a!.offerTicket(id, { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
        }
        const results = await Promise.all(ids.map((id, i) => all[i % all.length]!.acceptOffer(id, 'anna', 'key', clock.now())));
        expect(results.filter((r) => r.ok)).to.have.length(2);
        expect(results.filter((r) => !r.ok && r.reason === 'at-capacity')).to.have.length(18);
        const active = (await all[3]!.getPresence('anna'))!.active;
        const activeTickets = (await all[4]!.listTickets()).filter((t) => t.state === 'active').map((t) => t.id);
        expect(active).to.have.length(2);
        expect([...activeTickets].sort()).to.deep.equal([...active].sort());
        // The losers still wait, in order, for someone else.
        expect((await a!.waitingTickets(50)).map((t) => t.id)).to.deep.equal(ids.filter((id) => !active.includes(id)));
      });

      it('[RS3] gives every key a TTL, whatever a typical day did', async () => {
        const clock = new ManualClock();
        const prefix = nextPrefix();
        const [a, b] = await nodes(2, clock, prefix);
        await a!.heartbeatNode('node-a', clock.now(), 30_000);
        await a!.upsertPresence(profile('anna', 2), 'available', clock.now(), TTL);
        await b!.attachConsole('anna', 'node-b');
        await a!.putSession('hash-1', { operatorId: 'anna', credential: 'c', createdAt: clock.now(), lastSeenAt: clock.now() }, TTL);
        for (const id of ['t1', 't2', 't3', 't4']) await a!.createTicket(waitingTicket(id, clock.now(), { topic: id === 't4' ? 'abuse' : 'violence' }), TTL);
        await a!.offerTicket('t1', { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
        expect((await b!.acceptOffer('t1', 'anna', 'key', clock.now())).ok).to.equal(true);
        await a!.offerTicket('t2', { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
        await b!.withdrawOffer('t2', 'anna');
        const epoch = (await a!.attachVisitor('t1', 'node-a'))!;
        await a!.detachVisitor('t1', epoch, clock.now());
        await b!.attachVisitor('t1', 'node-b');
        await a!.appendMessage('t1', 'visitor', { seq: 1, data: 'sealed-v1' });
        await b!.appendMessage('t1', 'operator', { seq: 1, data: 'sealed-o1' });
        await a!.appendMessage('t3', 'visitor', { seq: 1, data: 'sealed-v1' });
        await a!.countAggregate({ start: '2026-11-23T10:00:00.000Z', span: '15m', line: '1712', language: 'nl', topic: 'violence', channel: 'chat' }, 'requested', TTL);
        await a!.recordHandleTime('1712', 300);
        await b!.waitingTickets(5);
        await b!.queuePositions([{ id: 't2', line: '1712', language: 'nl' }, { id: 't3', line: '1712', language: 'nl' }]);
        await a!.claimLease('sweep', 'node-a', clock.now(), 90_000);
        await b!.listTickets();
        await b!.listPresence();
        await b!.setPresenceStatus('anna', 'away', TTL);
        await a!.endTicket('t3', 'visitor', clock.now(), 60_000);
        await a!.deleteTicket('t2');
        await b!.detachConsole('anna', 'node-b', clock.now());

        const urls = mode.name === 'single Redis' ? [single.url] : cluster.rootNodes;
        const ttls = new Map<string, number>();
        for (const url of urls) {
          const client = createClient({ url });
          client.on('error', () => {});
          await client.connect();
          try {
            for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
              for (const key of keys) ttls.set(key, await client.pTTL(key));
            }
          } finally {
            client.destroy();
          }
        }
        const without = [...ttls].filter(([, ttl]) => !(ttl > 0)).map(([key]) => key);
        expect(without, 'keys without a TTL').to.deep.equal([]);
        const kinds = new Set([...ttls.keys()].map((k) => k.slice(prefix.length + 1).replace(/\{[a-z]+:[^}]*\}/, '{…}')));
        expect([...kinds].sort()).to.include.members([
          '{…}:ticket', '{…}:msgs:v', '{…}:msgs:o', '{tickets}:index', '{tickets}:seq', '{queues}:names', '{presence}:o:anna',
          '{presence}:held:anna', '{presence}:chats:anna', '{presence}:roster', '{presence}:index', '{nodes}:live', '{…}:session', '{agg}:index', '{…}:times',
          '{…}:exp', '{queues}:route', '{…}:lease',
        ]);
      });

      it('[RS8] keeps no key, member or hash field named by a ticket once it is ended and deleted, whatever routing did', async () => {
        const clock = new ManualClock();
        const prefix = nextPrefix();
        const [a, b] = await nodes(2, clock, prefix);
        await a!.upsertPresence(profile('anna', 2), 'available', clock.now(), TTL);
        for (const id of ['gone-accepted', 'gone-waiting', 'kept']) await a!.createTicket(waitingTicket(id, clock.now()), TTL);
        await b!.offerTicket('gone-accepted', { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
        expect((await a!.acceptOffer('gone-accepted', 'anna', 'key', clock.now())).ok).to.equal(true);
        await b!.attachVisitor('gone-waiting', 'node-b');
        await b!.waitingTickets(10);
        await a!.queuePositions([{ id: 'gone-waiting', line: '1712', language: 'nl' }]);
        for (const id of ['gone-accepted', 'gone-waiting']) {
          await b!.endTicket(id, 'visitor', clock.now(), 60_000);
          await a!.deleteTicket(id);
        }
        const left = await everything(mode.name === 'single Redis' ? [single.url] : cluster.rootNodes, prefix);
        expect(left.some((name) => name.includes('gone-')), left.filter((name) => name.includes('gone-')).join(', ')).to.equal(false);
        expect(left.some((name) => name.includes('kept')), 'the waiting ticket is still there').to.equal(true);
      });

      /**
       * A store on a manual clock, plus a raw link and the key names, to play one step of a
       * multi-step change by hand (as if the others were lost).
       */
      async function withRawLink(
        test: (env: { clock: ManualClock; a: RedisStore; link: RedisLink; keys: RedisKeys }) => Promise<void>,
      ): Promise<void> {
        const clock = new ManualClock();
        const prefix = nextPrefix();
        const [a] = await nodes(1, clock, prefix);
        const link = new RedisLink(mode.name === 'single Redis' ? { url: single.url } : { clusterNodes: cluster.rootNodes });
        await link.connect();
        try {
          await test({ clock, a: a!, link, keys: new RedisKeys(prefix) });
        } finally {
          await link.close();
        }
      }

      it('[RS9] lets a late summary step neither overwrite a newer one nor bring back a ticket that left its queue', () =>
        withRawLink(async ({ clock, a, link, keys }) => {
          await a.createTicket(waitingTicket('t1', clock.now()), TTL);
          await a.offerTicket('t1', { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now()); // ver 1
          const [route] = await a.waitingTickets(1);
          const name = keys.queueName(route!);
          const stale = (ver: number) => {
            const summary = { ticket: { ...route!, offer: null, visitorNode: 'node-stale' }, ver, ord: 1, exp: clock.now() + TTL };
            return link.run(lua.routeUpdate, [keys.queueNames, keys.routes], ['t1', '1', name, String(ver), encodeRoute(summary, name)]);
          };
          expect(await stale(0), 'older').to.equal(0);
          expect(await stale(1), 'as old').to.equal(0);
          expect((await a.waitingTickets(1))[0]).to.deep.include({ offer: { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, visitorNode: null });
          expect(await stale(2), 'newer').to.equal(1);
          expect((await a.waitingTickets(1))[0]?.visitorNode).to.equal('node-stale');
          await a.endTicket('t1', 'visitor', clock.now(), 60_000);
          expect(await stale(99), 'after it left').to.equal(0);
          expect(await a.waitingTickets(1)).to.deep.equal([]);
          expect(await a.queuePositions([{ id: 't1', line: '1712', language: 'nl' }])).to.deep.equal(new Map());
        }));

      it('[RS10] lists every ticket exactly as getTicket reads it, and every operator as getPresence does, whatever characters their fields hold', async () => {
        const clock = new ManualClock();
        const [a, b] = await nodes(2, clock);
        const odd = 'Zoë "Z" \\ / \u00e9\u4e2d\ud83d\ude00 \n\t';
        await a!.upsertPresence({ ...profile('anna', 2), name: odd }, 'available', clock.now(), TTL);
        await a!.createTicket(waitingTicket('t1', clock.now(), { visitorKey: odd, topic: odd }), TTL);
        await a!.createTicket(waitingTicket('t2', clock.now()), TTL);
        await a!.offerTicket('t1', { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
        expect((await a!.acceptOffer('t1', 'anna', odd, clock.now(), null)).ok).to.equal(true);
        await a!.offerTicket('t2', { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
        const listed = await b!.listTickets();
        expect(listed).to.deep.equal([await b!.getTicket('t1'), await b!.getTicket('t2')]);
        expect(listed[0]).to.deep.include({ operatorName: odd, operatorKey: odd, visitorKey: odd, topic: odd });
        const [anna] = await b!.listPresence();
        expect(anna).to.deep.include({ name: odd, active: ['t1'] });
        expect(anna).to.deep.equal(await b!.getPresence('anna'));
      });

      it('[RS11] reads every operator\'s presence in one script however many hold chats, leaving out chats ended or run out', async () => {
        const clock = new ManualClock();
        const [a, b] = await nodes(2, clock);
        const operators = Array.from({ length: 30 }, (_, i) => `op-${i}`);
        for (const op of operators) await a!.upsertPresence(profile(op, 2), 'available', clock.now(), TTL);
        for (const [i, op] of operators.entries()) {
          for (const k of [1, 2]) {
            const id = `${op}-chat-${k}`;
            // op-0's second chat runs out in ten minutes, never ended.
            await a!.createTicket(waitingTicket(id, clock.now()), i === 0 && k === 2 ? 10 * 60_000 : TTL);
            await a!.offerTicket(id, { operatorId: op, expiresAt: clock.now() + 30_000 }, clock.now());
            expect((await b!.acceptOffer(id, op, 'key', clock.now())).ok, id).to.equal(true);
          }
        }
        await a!.endTicket('op-1-chat-1', 'visitor', clock.now(), 60_000);
        clock.advance(10 * 60_000);

        const run = RedisLink.prototype.run;
        let calls = 0;
        RedisLink.prototype.run = function (...args) {
          calls++;
          return run.apply(this, args);
        };
        let listed;
        try {
          listed = await b!.listPresence();
        } finally {
          RedisLink.prototype.run = run;
        }
        expect(calls, 'scripts run by one listPresence').to.equal(1);
        expect(listed.map((p) => p.id).sort()).to.deep.equal([...operators].sort());
        for (const p of listed) expect(p, p.id).to.deep.equal(await a!.getPresence(p.id));
        expect(listed.find((p) => p.id === 'op-0')?.active).to.deep.equal(['op-0-chat-1']);
        expect(listed.find((p) => p.id === 'op-1')?.active).to.deep.equal(['op-1-chat-2']);
        expect(listed.find((p) => p.id === 'op-2')?.active).to.deep.equal(['op-2-chat-1', 'op-2-chat-2']);
      });

      it('[RS13] counts a place reserved by an accept in flight in listPresence, and gives it back if the claim fails', () =>
        withRawLink(async ({ clock, a, link, keys }) => {
          await a.upsertPresence(profile('anna', 1), 'available', clock.now(), TTL);
          const t = String(clock.now());
          expect(await link.run(lua.heldReserve, keys.presenceKeys('anna'), [t, 'in-flight', t, '10000'])).to.deep.equal(['ok', 'anna']);
          expect((await a.listPresence())[0]?.active, 'reserved').to.deep.equal(['in-flight']);
          await link.run(lua.heldGiveBack, keys.presenceKeys('anna'), ['in-flight', t]);
          expect((await a.listPresence())[0]?.active, 'given back').to.deep.equal([]);
        }));

      it('[RS12] puts right in listPresence what a lost release or confirm left behind, once the operator\'s presence is read', () =>
        withRawLink(async ({ clock, a, link, keys }) => {
          await a.upsertPresence(profile('anna', 2), 'available', clock.now(), TTL);
          for (const id of ['ended', 'kept']) {
            await a.createTicket(waitingTicket(id, clock.now()), TTL);
            await a.offerTicket(id, { operatorId: 'anna', expiresAt: clock.now() + 30_000 }, clock.now());
          }
          expect((await a.acceptOffer('ended', 'anna', 'key', clock.now())).ok).to.equal(true);
          const t = String(clock.now());
          // The chat ends, but the step that frees anna's place is lost …
          await link.run(lua.ticketEnd, keys.ticketKeys('ended'), [t, t, 'visitor', '60000', String(clock.now() + 60_000), '']);
          // … and kept is accepted, but the accept's last step (the confirm) is lost.
          expect(await link.run(lua.heldReserve, keys.presenceKeys('anna'), [t, 'kept', t, '10000'])).to.deep.equal(['ok', 'anna']);
          expect(await link.run(lua.ticketClaim, [keys.ticket('kept')], [t, t, 'anna', 'key', '', 'anna'])).to.not.equal(null);
          // Until then routing counts both: the stale chat, and the reserved place (as every
          // reservation, so that no accept in flight has its place offered to someone else).
          expect((await a.listPresence())[0]?.active, 'until read').to.deep.equal(['ended', 'kept']);

          expect((await a.getPresence('anna'))?.active).to.deep.equal(['kept']);
          expect((await a.listPresence())[0]?.active, 'once read').to.deep.equal(['kept']);
          const [held, chats] = (await link.run(lua.heldRead, keys.presenceKeys('anna'), [])) as [string[], string[]];
          expect([...held, ...chats], 'anna holds').to.include('kept').and.not.include('ended');
        }));
    });
  }

  describe('RedisStore when Redis goes away', () => {
    it('[RS4] rejects with StoreUnavailableError quickly while Redis is down, and works again after a restart without a new store', async () => {
      const redis = await startRedis({ dedicated: true });
      const clock = new ManualClock();
      const store = await RedisStore.connect({ url: redis.url, prefix: nextPrefix(), clock });
      stores.push(store);
      const seen: boolean[] = [];
      store.onAvailability((available) => seen.push(available));
      try {
        await store.createTicket(waitingTicket('t1', clock.now()), 60_000);
        await redis.stop();
        await until(() => seen.includes(false));
        for (const attempt of [() => store.getTicket('t1'), () => store.createTicket(waitingTicket('t2', clock.now()), 60_000), () => store.ping(), () => store.listTickets()]) {
          const started = Date.now();
          const error = await attempt().then(() => null, (e: unknown) => e);
          expect(error).to.be.instanceOf(StoreUnavailableError);
          expect(Date.now() - started, 'fails fast').to.be.below(1_500);
        }
        await redis.restart();
        await until(() => seen.at(-1) === true);
        await store.ping();
        await store.createTicket(waitingTicket('t3', clock.now()), 60_000);
        expect((await store.getTicket('t3'))?.id).to.equal('t3');
        expect(seen).to.deep.equal([false, true]);
      } finally {
        await redis.dispose();
      }
    });

    it('[RS7] in a Cluster, rejects with StoreUnavailableError while a master is down, and works again once it is back', async () => {
      const own = await startRedisCluster();
      const clock = new ManualClock();
      const store = await RedisStore.connect({ clusterNodes: own.rootNodes, prefix: nextPrefix(), clock });
      stores.push(store);
      const seen: boolean[] = [];
      store.onAvailability((available) => seen.push(available));
      const ids = Array.from({ length: 12 }, (_, i) => `t${i}`);
      try {
        for (const id of ids) await store.createTicket(waitingTicket(id, clock.now()), 60_000);
        await own.nodes[0]!.kill();
        await until(() => seen.includes(false));
        const started = Date.now();
        const outcomes = await Promise.all(ids.map((id) => store.getTicket(id).then(() => 'ok', (e: unknown) => e)));
        expect(Date.now() - started, 'fails fast').to.be.below(1_500);
        const failures = outcomes.filter((o) => o !== 'ok');
        expect(failures.length, 'some tickets live on the stopped master').to.be.greaterThan(0);
        for (const failure of failures) expect(failure).to.be.instanceOf(StoreUnavailableError);
        expect(await store.ping().then(() => null, (e: unknown) => e)).to.be.instanceOf(StoreUnavailableError);
        await own.nodes[0]!.restart();
        await until(() => seen.at(-1) === true, 20_000);
        await store.ping();
        for (const id of ids) await store.createTicket(waitingTicket(id, clock.now()), 60_000);
        expect((await store.listTickets()).map((t) => t.id).sort()).to.deep.equal([...ids].sort());
      } finally {
        await own.stop();
      }
    });

    it('[RS5] closes without complaint while Redis is down, and twice', async () => {
      const redis = await startRedis({ dedicated: true });
      const store = await RedisStore.connect({ url: redis.url, prefix: nextPrefix(), clock: new ManualClock() });
      await redis.stop();
      await store.close();
      await store.close();
      await redis.dispose();
    });

    it('[RS6] refuses to start against a Redis that is not there, with StoreUnavailableError', async () => {
      const redis = await startRedis({ dedicated: true });
      await redis.dispose();
      const error = await RedisStore.connect({ url: redis.url, prefix: nextPrefix(), clock: new ManualClock() }).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(StoreUnavailableError);
    });
  });
});

/** Every key under `prefix`, and every member and hash field each holds. */
async function everything(urls: string[], prefix: string): Promise<string[]> {
  const names: string[] = [];
  for (const url of urls) {
    const client = createClient({ url });
    client.on('error', () => {});
    await client.connect();
    try {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
        for (const key of keys) {
          names.push(key);
          const type = await client.type(key);
          if (type === 'zset') names.push(...(await client.zRange(key, 0, -1)));
          if (type === 'set') names.push(...(await client.sMembers(key)));
          if (type === 'list') names.push(...(await client.lRange(key, 0, -1)));
          if (type === 'hash') names.push(...(await client.hKeys(key)));
        }
      }
    } finally {
      client.destroy();
    }
  }
  return names;
}

/** Poll a condition (real time), failing after `ms`. */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
