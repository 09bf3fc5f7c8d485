import { expect } from 'chai';
import WebSocket from 'ws';
import { LIMITS } from '../../protocol/limits.js';
import { DEFAULT_LIMITS } from '../../server/relay/relay-context.js';
import { relayLimits } from '../../server/config/build-app-config.js';
import { readSettings } from '../../server/config/settings.js';

const NEW_CHATS_PER_ADDRESS = DEFAULT_LIMITS.newChatsPer10Min;
const OPEN_CHATS_PER_ADDRESS = DEFAULT_LIMITS.openChatsPerAddress;
import { startTestServer, type TestServer } from '../support/test-server.js';
import { SocketClient, operatorSocket, signIn, visitorSocket } from '../support/socket-client.js';
import { connectedChat, TestOperator, TestVisitor } from '../support/chat-parties.js';

function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

describe('Bad input gets a typed error and loses nothing', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({
      operators: [{ id: 'anna', lines: ['1712'], languages: ['nl'], topics: ['violence'] }],
    });
  });
  afterEach(() => server.close());

  it('answers malformed frames with ERR_BAD_MESSAGE and keeps the socket open', async () => {
    const socket = await visitorSocket(server);
    for (const bad of ['not json', '{"type":"request"}', '{"type":"nope"}', '[]', 'null', '{"type":"msg","seq":-1,"data":"x"}']) {
      socket.send(bad);
      expect(await socket.next('error')).to.include({ code: 'ERR_BAD_MESSAGE' });
    }
    socket.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await socket.next('error')).to.include({ code: 'ERR_BAD_MESSAGE' });
    await TestVisitor.request(socket, '1712', 'nl', 'violence'); // still usable
  });

  it('refuses unknown lines, languages and topics by name', async () => {
    const socket = await visitorSocket(server);
    const key = 'A'.repeat(43);
    socket.send({ type: 'request', line: 'nope', language: 'nl', topic: 'violence', key });
    expect(await socket.next('error')).to.include({ code: 'ERR_UNKNOWN_LINE' });
    socket.send({ type: 'request', line: '1712', language: 'fr', topic: 'violence', key });
    expect(await socket.next('error')).to.include({ code: 'ERR_UNSUPPORTED_LANGUAGE' });
    socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'attraction-to-minors', key });
    expect(await socket.next('error')).to.include({ code: 'ERR_UNKNOWN_TOPIC' });
  });

  it('closes the socket with 1009 on a frame over the size limit', async () => {
    const socket = await visitorSocket(server);
    socket.send(JSON.stringify({ type: 'msg', seq: 1, data: 'A'.repeat(LIMITS.maxFrameBytes + 1) }));
    expect(await socket.closed).to.equal(1009);
  });

  it('refuses messages before a chat is requested, naming the message', async () => {
    const socket = await visitorSocket(server);
    socket.send({ type: 'msg', seq: 1, data: 'AAAA' });
    expect(await socket.next('error')).to.include({ code: 'ERR_NOT_REQUESTED', seq: 1 });
  });

  it('refuses a flood with ERR_RATE_LIMITED naming each refused message, then disconnects', async () => {
    const { operator, visitor } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    const total = LIMITS.messagesPerWindow * 4;
    for (let i = 0; i < total; i++) {
      const { seq, data } = visitor.cipher.seal({ t: 'text', body: `flood ${i}` });
      visitor.socket.send({ type: 'msg', seq, data });
    }
    expect(await visitor.socket.closed).to.equal(4002);
    const acked = visitor.socket.received.filter((m) => m.type === 'ack').map((m) => m.seq as number);
    const refused = visitor.socket.received
      .filter((m) => m.type === 'error' && m.code === 'ERR_RATE_LIMITED')
      .map((m) => m.seq as number);
    expect(refused.length).to.be.greaterThan(0);
    // Every message is either acknowledged or refused by number: none vanishes unanswered.
    const answered = new Set([...acked, ...refused]);
    const unanswered = Array.from({ length: total }, (_, i) => i + 1).filter((seq) => !answered.has(seq));
    expect(unanswered.every((seq) => seq > Math.max(...answered))).to.equal(true);
  });

  it('lets twenty people behind one address (a shelter, a school) chat at the same time', async () => {
    const sockets: SocketClient[] = [];
    for (let i = 0; i < 20; i++) {
      const socket = await visitorSocket(server);
      socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: 'A'.repeat(43) });
      sockets.push(socket);
    }
    const replies = await Promise.all(sockets.map((s) => s.first<{ type: string }>(['queued', 'error'])));
    expect(replies.map((r) => r.type)).to.deep.equal(Array(20).fill('queued'));
  });

  it('holds an address to the limit its setting names', async () => {
    await server.close();
    server = await startTestServer({ limits: relayLimits(readSettings({ OPEN_CHATS_PER_ADDRESS: '2' })) });
    const replies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = await visitorSocket(server);
      socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: 'A'.repeat(43) });
      const reply = await socket.first<{ type: string; code?: string }>(['queued', 'error']);
      replies.push(reply.code ?? reply.type);
    }
    expect(replies).to.deep.equal(['queued', 'queued', 'ERR_TOO_MANY_CHATS']);
  });

  it('refuses socket upgrades past the per-address budget its setting names, with 429', async () => {
    await server.close();
    server = await startTestServer({ limits: relayLimits(readSettings({ UPGRADES_PER_ADDRESS_PER_MINUTE: '3' })) });
    const url = `${server.wsUrl}/ws/visitor?v=1`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await upgradeStatus(url, { Origin: server.url }));
    expect(statuses).to.deep.equal([101, 101, 101, 429]);
  });

  it('limits how many chats one address may start, so nobody can fill the queues', async () => {
    const codes: string[] = [];
    for (let i = 0; i <= NEW_CHATS_PER_ADDRESS; i++) {
      const socket = await visitorSocket(server);
      socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: 'A'.repeat(43) });
      const reply = await socket.first<{ type: string; code?: string }>(['queued', 'error']);
      codes.push(reply.type === 'error' ? String(reply.code) : 'queued');
      if (reply.type === 'queued') socket.send({ type: 'end', quick: false });
      else socket.close();
      await socket.closed;
    }
    expect(codes.slice(0, NEW_CHATS_PER_ADDRESS).every((c) => c === 'queued')).to.equal(true);
    expect(codes[NEW_CHATS_PER_ADDRESS]).to.equal('ERR_TOO_MANY_CHATS');
  });

  it('limits how many chats one address may hold open at once, and frees a place when one ends', async () => {
    const open: SocketClient[] = [];
    const request = async () => {
      const socket = await visitorSocket(server);
      socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: 'A'.repeat(43) });
      return { socket, reply: await socket.first<{ type: string; code?: string }>(['queued', 'error']) };
    };
    for (let i = 0; i < OPEN_CHATS_PER_ADDRESS; i++) {
      const { socket, reply } = await request();
      expect(reply.type).to.equal('queued');
      open.push(socket);
    }
    expect((await request()).reply).to.include({ type: 'error', code: 'ERR_TOO_MANY_CHATS' });
    open[0]!.send({ type: 'end', quick: true });
    await open[0]!.closed;
    expect((await request()).reply.type).to.equal('queued');
  });

  it('ends and purges a chat over HTTP when the widget has no socket (a beacon), given the token', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    visitor.socket.close();
    await visitor.socket.closed;
    const leave = (body: string) =>
      fetch(`${server.url}/api/chat/leave`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect((await leave(JSON.stringify({ token: visitor.token.slice(0, 22) + 'x'.repeat(43), quick: true }))).status).to.equal(410);
    expect((await leave('not json')).status).to.equal(400);
    expect((await leave(JSON.stringify({ token: visitor.token, quick: true }))).status).to.equal(204);
    expect(await operator.socket.next('ended')).to.include({ chat, by: 'visitor' });
    expect(await server.store.getTicket(chat)).to.equal(undefined);
  });

  it('never lets typing indicators use up the budget for messages', async () => {
    const { visitor, operator, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    for (let i = 0; i < LIMITS.messagesPerWindow + 5; i++) visitor.socket.send({ type: 'typing', on: i % 2 === 0 });
    await visitor.say('nog steeds hier');
    expect(await operator.hear(chat)).to.equal('nog steeds hier');
    expect(visitor.socket.received.some((m) => m.type === 'error')).to.equal(false);
  });

  it('refuses visitor sockets from origins not on the allow-list, before accepting them', async () => {
    expect(await upgradeStatus(`${server.wsUrl}/ws/visitor?v=1`, { Origin: 'https://evil.example' })).to.equal(403);
    expect(await upgradeStatus(`${server.wsUrl}/ws/visitor?v=1`, {})).to.equal(403);
    expect(await upgradeStatus(`${server.wsUrl}/ws/visitor?v=1`, { Origin: server.url })).to.equal(101);
  });

  it('accepts visitor sockets from a configured helpline origin', async () => {
    await server.close();
    server = await startTestServer({ config: { allowedOrigins: ['https://www.1712.be'] } });
    expect(await upgradeStatus(`${server.wsUrl}/ws/visitor?v=1`, { Origin: 'https://www.1712.be' })).to.equal(101);
  });

  it('refuses operator sockets without a session or from another origin', async () => {
    expect(await upgradeStatus(`${server.wsUrl}/ws/operator?v=1`, { Origin: server.url })).to.equal(401);
    const cookie = await signIn(server, 'anna');
    expect(await upgradeStatus(`${server.wsUrl}/ws/operator?v=1`, { Origin: 'https://evil.example', Cookie: cookie })).to.equal(403);
    expect(await upgradeStatus(`${server.wsUrl}/ws/operator?v=1`, { Origin: server.url, Cookie: cookie })).to.equal(101);
    expect(await upgradeStatus(`${server.wsUrl}/ws/operator?v=1`, { Origin: server.url, Cookie: 'ql_session=forged' })).to.equal(401);
  });

  it('tells a client too old for the protocol to reload, with close code 4001', async () => {
    const socket = await SocketClient.open(`${server.wsUrl}/ws/visitor?v=0`, { Origin: server.url });
    expect(await socket.next('error')).to.include({ code: 'ERR_CLIENT_TOO_OLD' });
    expect(await socket.closed).to.equal(4001);
  });

  it('answers a message the server already holds with an ack only, and a gap with ERR_BAD_SEQUENCE', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    const first = visitor.cipher.seal({ t: 'text', body: 'een' });
    visitor.socket.send({ type: 'msg', ...first });
    visitor.socket.send({ type: 'msg', ...first });
    expect(await visitor.socket.next('ack')).to.include({ seq: 1 });
    expect(await visitor.socket.next('ack')).to.include({ seq: 1 });
    visitor.cipher.seal({ t: 'text', body: 'twee (never sent)' });
    const third = visitor.cipher.seal({ t: 'text', body: 'drie' });
    visitor.socket.send({ type: 'msg', ...third });
    expect(await visitor.socket.next('error')).to.include({ code: 'ERR_BAD_SEQUENCE', seq: 3 });
    expect(await operator.hear(chat)).to.equal('een');
    expect(operator.socket.received.filter((m) => m.type === 'msg')).to.have.length(1);
  });

  it('refuses a message to a chat that has ended by its number, and says the chat ended', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    operator.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await visitor.socket.next('ended');
    const late = visitor.cipher.seal({ t: 'text', body: 'nog één ding' });
    visitor.socket.send({ type: 'msg', ...late });
    expect(await visitor.socket.next('error')).to.include({ code: 'ERR_CHAT_ENDED', seq: late.seq });
    expect(await visitor.socket.next('ended')).to.include({ by: 'operator' });
    const opLate = operator.ciphers.get(chat)!.seal({ t: 'text', body: 'te laat' });
    operator.socket.send({ type: 'msg', chat, ...opLate });
    expect(await operator.socket.next('error')).to.include({ code: 'ERR_CHAT_ENDED', chat, seq: opLate.seq });
  });

  it('says a chat ended, not "out of order", to a side that was writing in it when the other side ended it', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    await visitor.say('eerst');
    await operator.say(chat, 'ja');
    expect(await operator.hear(chat)).to.equal('eerst');
    expect(await visitor.hear()).to.equal('ja');
    // The visitor leaves; the operator, mid-sentence, writes once more.
    visitor.socket.send({ type: 'end', quick: false });
    await operator.socket.next('ended');
    const opLate = operator.ciphers.get(chat)!.seal({ t: 'text', body: 'nog iets' });
    operator.socket.send({ type: 'msg', chat, ...opLate });
    expect(await operator.socket.next('error')).to.include({ code: 'ERR_CHAT_ENDED', chat, seq: opLate.seq });

    const second = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    await second.visitor.say('hallo');
    expect(await second.operator.hear(second.chat)).to.equal('hallo');
    second.operator.socket.send({ type: 'end', chat: second.chat, wrapUp: 'information' });
    await second.visitor.socket.next('ended');
    const late = second.visitor.cipher.seal({ t: 'text', body: 'wacht' });
    second.visitor.socket.send({ type: 'msg', ...late });
    expect(await second.visitor.socket.next('error')).to.include({ code: 'ERR_CHAT_ENDED', seq: late.seq });
  });

  it('keeps an operator from writing into a chat that is not theirs', async () => {
    const operator = await operatorSocket(server, 'anna');
    await operator.next('welcome');
    operator.send({ type: 'msg', chat: 'someone-elses-chat', seq: 1, data: 'AAAA' });
    expect(await operator.next('error')).to.include({ code: 'ERR_NOT_IN_CHAT', seq: 1 });
    operator.send({ type: 'end', chat: 'whatever', wrapUp: 'not-a-category' });
    expect(await operator.next('error')).to.include({ code: 'ERR_UNKNOWN_WRAP_UP' });
  });
});
