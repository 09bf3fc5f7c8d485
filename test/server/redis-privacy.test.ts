import { expect } from 'chai';
import pino from 'pino';
import { systemClock } from '../../server/clock.js';
import { openSharedState, type SharedState } from '../../server/shared-state.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startMonitoredRedis, type MonitoredRedis } from '../support/redis-monitor.js';
import { operatorSocket, SocketClient } from '../support/socket-client.js';
import { TestOperator, TestVisitor } from '../support/chat-parties.js';
import { encodings } from '../support/encodings.js';

const PREFIX = 'privacy';
const VISITOR_ADDRESS = '203.0.113.77';
const VISITOR_AGENT = 'Mozilla/5.0 (SENTINEL-AGENT-5521)';

/**
 * The privacy invariants hold in Redis too (ARCHITECTURE.md, invariants 2–4): every command
 * the server sends Redis during a whole chat is captured with MONITOR and searched for the
 * plaintext, the visitor's address and user agent, and the resume secret; afterwards every
 * key has a TTL, and a chat ended and wrapped up leaves nothing behind.
 */
describe('Privacy in Redis, proven with MONITOR', () => {
  let monitored: MonitoredRedis;
  let shared: SharedState;
  let server: TestServer;
  let admin: MonitoredRedis['admin'];
  let commands: string[];

  before(async () => {
    monitored = await startMonitoredRedis();
    ({ admin, commands } = monitored);
    shared = await openSharedState({ redisUrl: monitored.redis.url, prefix: PREFIX, clock: systemClock, logger: pino({ level: 'silent' }) });
    server = await startTestServer({
      operators: [{ id: 'op', name: 'Op', lines: ['1712'], languages: ['nl'], topics: ['violence'] }],
      shared: { store: shared.store, bus: shared.bus, keyPrefix: PREFIX },
      config: { trustProxyHops: 1 },
    });
  });
  after(async () => {
    await server?.close();
    await shared?.close();
    await monitored?.dispose();
  });

  const sentinels = ['SENTINEL-visitor-c41e: ik durf het niet te zeggen', 'SENTINEL-operator-5d07: je bent hier veilig, neem je tijd'];
  const secrets: string[] = [];
  let chat = '';

  it('sends Redis only ciphertext and routing records: no plaintext, address, user agent or secret', async () => {
    const operator = new TestOperator(await operatorSocket(server, 'op'));
    await operator.available();
    const socket = await SocketClient.open(`${server.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, {
      Origin: server.url,
      'X-Forwarded-For': VISITOR_ADDRESS,
      'User-Agent': VISITOR_AGENT,
    });
    const visitor = await TestVisitor.request(socket, '1712', 'nl', 'violence');
    chat = await operator.acceptNextOffer();
    await visitor.connected();
    secrets.push(visitor.token.slice(22));
    await visitor.say(sentinels[0]!);
    expect(await operator.hear(chat)).to.equal(sentinels[0]);
    await operator.say(chat, sentinels[1]!);
    expect(await visitor.hear()).to.equal(sentinels[1]);

    // MONITOR saw the chat: the ciphertext of each message went to Redis.
    const sealed = server.frames.filter((f) => f.direction === 'in' && f.frame.includes('"msg"')).map((f) => JSON.parse(f.frame).data as string);
    expect(sealed).to.have.length(2);
    for (const data of sealed) expect(commands.some((c) => c.includes(data.slice(0, 40)))).to.equal(true);

    for (const command of commands) {
      for (const sentinel of sentinels) for (const encoded of encodings(sentinel)) expect(command).to.not.include(encoded);
      expect(command).to.not.include(VISITOR_ADDRESS);
      expect(command).to.not.include('127.0.0.1');
      expect(command).to.not.include('SENTINEL-AGENT');
      for (const secret of secrets) expect(command).to.not.include(secret);
    }

    visitor.socket.send({ type: 'end', quick: false });
    await operator.socket.next('ended');
    // Ended: the chat's ciphertext is gone at once; only its routing record waits for the wrap-up.
    const left = await admin.keys(`${PREFIX}:*${chat}*`);
    expect(left.filter((k) => k.includes('msgs'))).to.deep.equal([]);
    operator.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await operator.socket.next('ended');
  });

  it('gives every key a TTL, as a backstop if nothing else removes it, but the staff accounts', async () => {
    const keys = await admin.keys(`${PREFIX}:*`);
    expect(keys.length).to.be.greaterThan(3);
    // Operator accounts are the helpline's staff records: kept until an admin removes them.
    expect(keys).to.include(`${PREFIX}:{accounts}:all`);
    for (const key of keys.filter((k) => k !== `${PREFIX}:{accounts}:all`)) expect(await admin.pTTL(key), key).to.be.greaterThan(0);
    const accounts = Object.values(await admin.hGetAll(`${PREFIX}:{accounts}:all`)).join(' ');
    expect(accounts, 'accounts hold nothing of a chat').to.not.include(chat);
  });

  it('keeps no key and no index entry of a chat that was ended and wrapped up', async () => {
    expect(chat).to.have.length(22);
    expect(await admin.keys(`${PREFIX}:*${chat}*`)).to.deep.equal([]);
    for (const key of await admin.keys(`${PREFIX}:*`)) {
      const type = await admin.type(key);
      const members =
        type === 'zset' ? await admin.zRange(key, 0, -1) : type === 'set' ? await admin.sMembers(key) : type === 'list' ? await admin.lRange(key, 0, -1) : [];
      expect(members, key).to.not.include(chat);
    }
  });
});
