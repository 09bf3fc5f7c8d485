import { expect } from 'chai';
import pino from 'pino';
import { systemClock } from '../../../server/clock.js';
import { openSharedState, type SharedState } from '../../../server/shared-state.js';
import { encodings } from '../../support/encodings.js';
import { startMonitoredRedis, type MonitoredRedis } from '../../support/redis-monitor.js';
import { operatorSocket, type SocketClient } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allVerbs, find, numberOf, SENTINEL_CALLER, spoken, TestCall, testVoice, TwilioSide } from '../../support/voice-calls.js';
import { until } from '../../support/settle.js';

const PREFIX = 'voice';
const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] };

/**
 * A call across two nodes on one Redis, as behind a load balancer: each webhook may land on
 * either node, and the operator's console is on a third party's choice of node. Everything
 * the call needs is in Redis, and MONITOR proves the caller's number never goes there.
 */
describe('Phone calls across nodes on Redis, proven with MONITOR', () => {
  let monitored: MonitoredRedis;
  let shared: SharedState;
  let a: TestServer;
  let b: TestServer;
  let admin: MonitoredRedis['admin'];
  let commands: string[];

  before(async () => {
    monitored = await startMonitoredRedis();
    ({ admin, commands } = monitored);
    shared = await openSharedState({ redisUrl: monitored.redis.url, prefix: PREFIX, clock: systemClock, logger: pino({ level: 'silent' }) });
    const options = { operators: [{ id: 'anna', ...nl }], shared: { store: shared.store, bus: shared.bus, keyPrefix: PREFIX }, config: { voice: testVoice() } };
    a = await startTestServer({ ...options, nodeId: 'node-a' });
    b = await startTestServer({ ...options, nodeId: 'node-b' });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await shared?.close();
    await monitored?.dispose();
  });

  let anna: SocketClient;
  let sid = '';
  const sides: TwilioSide[] = [];
  const side = (server: TestServer) => {
    const made = new TwilioSide(server);
    sides.push(made);
    return made;
  };

  it('answers a call enqueued on node A through node B: offer, accept, connect, hang-up', async () => {
    anna = await operatorSocket(b, 'anna');
    await anna.next('welcome');
    anna.send({ type: 'status', status: 'available' });
    await anna.next('status');

    const call = new TestCall(side(a), numberOf(a, '1712'));
    sid = call.sid;
    const menu = await call.incoming();
    await call.press(menu, '2');
    // Twilio retries that menu step, and the load balancer sends it to node B: the same ticket.
    const retried = await side(b).post(find(menu.verbs, 'Gather')!.attrs.action!, call.params({ Digits: '2' }));
    expect(find(retried.verbs, 'Enqueue')!.text).to.equal(call.ticket);
    expect(await shared.store.listTickets()).to.have.length(1);
    const offer = await anna.next<{ ticket: string; channel: string; topic: string }>('offer');
    expect(offer).to.include({ ticket: call.ticket, channel: 'call', topic: 'abuse' });
    const onB = side(b);
    expect(spoken((await onB.post(call.enqueue!.attrs.waitUrl!, call.params({ QueueSid: call.queueSid! }))).verbs)[0]).to.equal('U bent als volgende aan de beurt.');

    anna.send({ type: 'accept', ticket: offer.ticket });
    expect(await anna.next('assigned')).to.include({ chat: offer.ticket, channel: 'call' });
    const connect = await side(a).post('/voice/connect', { CallSid: `CA${'3'.repeat(32)}`, From: 'client:anna', To: '', ticket: offer.ticket });
    expect(find(connect.verbs, 'Queue')!.text).to.equal(offer.ticket);

    // The call ends on node B: the operator on B is told, and wraps up.
    const end = await onB.post('/voice/status', call.params({ CallStatus: 'completed', CallDuration: '300' }));
    expect(end.status).to.equal(200);
    expect(await anna.next('ended')).to.include({ chat: offer.ticket, by: 'visitor' });
    anna.send({ type: 'end', chat: offer.ticket, wrapUp: 'emotional-support' });
    await anna.next('ended');
    await until(async () => (await shared.store.getTicket(offer.ticket)) === undefined, 'the wrapped-up call to be gone');
  });

  it('never asks Twilio to record, transcribe or stream a call, in any document of the journey', async () => {
    const verbs = sides.flatMap((side) => side.documents.flatMap(allVerbs));
    expect(verbs.length).to.be.above(10);
    for (const verb of verbs) {
      expect(['Record', 'Transcription', 'Stream', 'Siprec', 'Start', 'Conversation'], verb.name).to.not.include(verb.name);
      for (const attribute of Object.keys(verb.attrs)) expect(attribute.toLowerCase(), verb.name).to.not.match(/record|transcri/);
    }
  });

  it("never lets the caller's number, city or CallSid reach Redis, a log line or a console frame", async () => {
    expect(commands.some((c) => c.includes('call'))).to.equal(true);
    // The number in every form it could travel in (not encodings()' short fragments: a
    // 4-digit piece of a phone number turns up in any timestamp).
    const forbidden = [
      ...encodings(SENTINEL_CALLER).filter((e) => e.length >= SENTINEL_CALLER.length - 1),
      SENTINEL_CALLER.slice(1),
      SENTINEL_CALLER.slice(3),
      'BRUXELLES',
      sid,
    ];
    for (const command of commands) for (const text of forbidden) expect(command).to.not.include(text);
    for (const server of [a, b]) {
      for (const line of server.logLines) for (const text of forbidden) expect(line).to.not.include(text);
      for (const frame of server.frames) for (const text of forbidden) expect(frame.frame).to.not.include(text);
    }
  });

  it('gives every key of a call a TTL, and keeps none of the call once it is over and wrapped up', async () => {
    // All but the staff accounts, which stay until an admin removes them.
    const keys = (await admin.keys(`${PREFIX}:*`)).filter((key) => key !== `${PREFIX}:{accounts}:all`);
    for (const key of keys) expect(await admin.pTTL(key), key).to.be.greaterThan(0);
    expect(await admin.keys(`${PREFIX}:{c:*`)).to.deep.equal([]);
  });
});
