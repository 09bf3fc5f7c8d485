import { expect } from 'chai';
import { quarterBuckets } from '../support/aggregate-views.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { operatorSocket, visitorSocket } from '../support/socket-client.js';
import { connectedChat, TestOperator, TestVisitor } from '../support/chat-parties.js';

describe('An encrypted chat through the real server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({
      operators: [{ id: 'anna', name: 'Anna', lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] }],
    });
  });
  afterEach(() => server.close());

  it('queues the visitor, offers the chat, and carries messages both ways', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    expect(chat).to.equal(visitor.chat);

    await visitor.say('Hallo, ik ben bang.');
    expect(await operator.hear(chat)).to.equal('Hallo, ik ben bang.');
    await operator.say(chat, 'Je bent hier veilig. Vertel maar.');
    expect(await visitor.hear()).to.equal('Je bent hier veilig. Vertel maar.');

    visitor.socket.send({ type: 'typing', on: true });
    expect(await operator.socket.next('typing')).to.include({ chat, on: true });

    operator.socket.send({ type: 'end', chat, wrapUp: 'emotional-support' });
    expect(await visitor.socket.next('ended')).to.include({ by: 'operator' });
    expect(await operator.socket.next('ended')).to.include({ chat, by: 'operator' });
  });

  it('tells the operator when the visitor ends the chat, and frees their slot', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'abuse' });
    visitor.socket.send({ type: 'end', quick: false });
    expect(await visitor.socket.next('ended')).to.include({ by: 'visitor' });
    expect(await operator.socket.next('ended')).to.include({ chat, by: 'visitor' });
    const presence = await server.store.getPresence('anna');
    expect(presence?.active).to.deep.equal([]);

    // The operator closes it with a wrap-up; a second 'end' (a double click) counts nothing more.
    operator.socket.send({ type: 'end', chat, wrapUp: 'referral' });
    await operator.socket.next('ended');
    operator.socket.send({ type: 'end', chat, wrapUp: 'referral' });
    await operator.socket.next('ended');
    const [bucket] = await quarterBuckets(server.store);
    expect(bucket?.counts).to.deep.equal({ requested: 1, answered: 1, 'wrapUp:referral': 1 });
    expect(await server.store.getTicket(chat), 'both sides done: purged').to.equal(undefined);
  });

  it('resumes a visitor whose connection dropped, resending what it missed exactly once', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    await operator.say(chat, 'Eerste bericht');
    expect(await visitor.hear()).to.equal('Eerste bericht');

    visitor.socket.close();
    await visitor.socket.closed;
    await operator.say(chat, 'Tweede bericht, terwijl je weg was');

    const again = await visitorSocket(server);
    again.send({ type: 'resume', token: visitor.token, received: visitor.cipher.lastReceived });
    expect(await again.next('resumed')).to.include({ chat });
    await again.next('connected');
    const missed = await again.next<{ seq: number; data: string }>('msg');
    expect(visitor.cipher.open(missed.seq, missed.data).body).to.equal('Tweede bericht, terwijl je weg was');
    expect(again.received.filter((m) => m.type === 'msg')).to.have.length(1);
  });

  it('gives a console the canned replies of its operator\'s lines and languages, and no others', async () => {
    const anna = await operatorSocket(server, 'anna');
    const welcome = await anna.next<{ canned: Array<{ line: string; language: string; title: string; text: string }> }>('welcome');
    expect(welcome.canned.length).to.be.greaterThan(0);
    expect(new Set(welcome.canned.map((c) => `${c.line}/${c.language}`))).to.deep.equal(new Set(['1712/nl']));
    expect(welcome.canned[0]).to.deep.include({ line: '1712', language: 'nl', title: 'Welkom' });
    anna.close();
  });

  it('tells the operator at once that the visitor\'s connection dropped, and that they came back', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    visitor.socket.close();
    expect(await operator.socket.next('visitor')).to.deep.equal({ type: 'visitor', chat, connection: 'lost', graceSeconds: server.config.reconnectGraceMs / 1000 });
    const again = await visitorSocket(server);
    again.send({ type: 'resume', token: visitor.token, received: visitor.cipher.lastReceived });
    await again.next('connected');
    expect(await operator.socket.next('visitor')).to.deep.equal({ type: 'visitor', chat, connection: 'back' });
    // Leaving is not a dropped connection: it says `ended`, and nothing else.
    again.send({ type: 'end', quick: false });
    expect(await operator.socket.next('ended')).to.include({ chat, by: 'visitor' });
    expect(operator.socket.has('visitor')).to.equal(false);
  });

  it('tells a reconnecting console which chats it still holds, resending them, and not the ones that ended meanwhile', async () => {
    const first = await connectedChat(server, 'anna', { line: '1712', language: 'nl', topic: 'violence' });
    const other = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'abuse');
    const second = await first.operator.acceptNextOffer();
    await other.connected();
    await other.say('Ben je daar nog?');
    first.operator.socket.close();
    await first.operator.socket.closed;
    first.visitor.socket.send({ type: 'end', quick: false });
    await first.visitor.socket.next('ended');

    const again = await operatorSocket(server, 'anna');
    expect(await again.next('welcome')).to.deep.include({ chats: [second] });
    expect(await again.next('assigned')).to.include({ chat: second });
    expect(await again.next('msg')).to.include({ chat: second, seq: 1 });
    expect(again.received.filter((m) => m.type === 'assigned')).to.have.length(1);
  });

  it('refuses a resume with a wrong token', async () => {
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    const forged = visitor.token.slice(0, 22) + 'A'.repeat(visitor.token.length - 22);
    const again = await visitorSocket(server);
    again.send({ type: 'resume', token: forged, received: 0 });
    expect(await again.next('error')).to.include({ code: 'ERR_RESUME_FAILED' });
  });
});
