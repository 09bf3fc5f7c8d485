import { expect } from 'chai';
import { quarterBuckets } from '../support/aggregate-views.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { operatorSocket, visitorSocket } from '../support/socket-client.js';
import { connectedChat } from '../support/chat-parties.js';
import { encodings } from '../support/encodings.js';

describe('Privacy: the server never sees plaintext and logs no person (invariants 2 and 3)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      operators: [{ id: 'op', name: 'Op', lines: ['stop-it-now'], languages: ['fr', 'nl'], topics: ['attraction-to-minors'] }],
    });
  });
  after(() => server.close());
  /** The chat's secrets, kept to look for them in the logs afterwards. */
  const secrets: string[] = [];

  it('relays a whole chat with sentinel sentences without any of them in a frame or a log line', async () => {
    const sentinels = [
      'SENTINEL-visitor-7f3a: ik ben bang voor wat ik zou kunnen doen',
      'SENTINEL-operator-91bc: merci de nous écrire, vous restez anonyme',
      'SENTINEL-visitor-2d44 ünïcødé — ça va? 🙂',
    ];
    const { operator, visitor, chat } = await connectedChat(server, 'op', { line: 'stop-it-now', language: 'nl', topic: 'attraction-to-minors' });
    const connected = visitor.socket.received.find((m) => m.type === 'connected') as unknown as { key: string };
    secrets.push(visitor.token.slice(22), visitor.cipher.publicKey, connected.key);
    await visitor.say(sentinels[0]!);
    expect(await operator.hear(chat)).to.equal(sentinels[0]);
    await operator.say(chat, sentinels[1]!);
    expect(await visitor.hear()).to.equal(sentinels[1]);
    await visitor.say(sentinels[2]!);
    expect(await operator.hear(chat)).to.equal(sentinels[2]);
    operator.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await visitor.socket.next('ended');

    // Invariant 5: the chat is counted in its hour's aggregates, by category, not logged.
    const [bucket] = (await quarterBuckets(server.store)).filter((a) => a.line === 'stop-it-now');
    expect(bucket?.counts).to.deep.equal({ requested: 1, answered: 1, 'wrapUp:information': 1 });
    for (const line of server.logLines) expect(line).to.not.match(/attraction-to-minors|"nl"|information/);

    const frames = server.frames.map((f) => f.frame);
    expect(frames.filter((f) => f.includes('"msg"')).length).to.be.at.least(6);
    for (const sentinel of sentinels) {
      for (const encoded of encodings(sentinel)) {
        for (const frame of frames) expect(frame).to.not.include(encoded);
        for (const line of server.logLines) expect(line).to.not.include(encoded);
      }
    }
  });

  it('writes no address, user agent, resume secret or chat key to the logs', async () => {
    expect(server.logLines.length).to.be.greaterThan(5);
    for (const line of server.logLines) {
      expect(line).to.not.match(/127\.0\.0\.1|::1|::ffff|user-?agent|node-fetch|undici|"ip"|"hostname"|"pid"/i);
      expect(line).to.not.match(/"token"|"key"|"data"|"password"/);
      for (const secret of secrets) expect(line).to.not.include(secret);
    }
    expect(secrets, 'the chat ran and its secrets were collected').to.have.length(3);
  });
});
