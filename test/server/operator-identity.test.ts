import { expect } from 'chai';
import { certify, checkChatKey, newSigningKeyPair, readyIdentity, type OperatorIdentityFile } from '../../identity/certificates.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { operatorSocket, visitorSocket } from '../support/socket-client.js';
import { TestOperator, TestVisitor } from '../support/chat-parties.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

function identityFor(orgSecret: string, operator: string, name: string): OperatorIdentityFile {
  const pair = newSigningKeyPair();
  return {
    type: 'quietline-operator-identity',
    operator,
    secretKey: pair.secretKey,
    certificate: certify(orgSecret, { operator, name, key: pair.publicKey, expires: Date.now() + 86_400_000 }),
  };
}

describe('Operator identity through the real server', () => {
  let server: TestServer;
  let org: { publicKey: string; secretKey: string };
  before(readyIdentity);
  beforeEach(async () => {
    org = newSigningKeyPair();
    server = await startTestServer({
      operators: [{ id: 'anna', name: 'Anna', ...nl }, { id: 'bert', name: 'Bert', ...nl }],
      config: { orgPublicKey: org.publicKey },
    });
  });
  afterEach(() => server.close());

  it('tells the console that identity is required', async () => {
    const socket = await operatorSocket(server, 'anna');
    expect(await socket.next('welcome')).to.include({ identity: 'required' });
  });

  it('passes a certified proof to the visitor, who can check it against the organisation key', async () => {
    const anna = new TestOperator(await operatorSocket(server, 'anna'), identityFor(org.secretKey, 'anna', 'Anna'));
    await anna.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await anna.acceptNextOffer();
    const connected = await visitor.socket.next<{ key: string; proof: Parameters<typeof checkChatKey>[1] }>('connected');
    expect(checkChatKey(org.publicKey, connected.proof, visitor.chat, connected.key, Date.now())).to.deep.equal({ ok: true, name: 'Anna' });
  });

  for (const [title, identity] of [
    ['without a proof', () => null],
    ["with another operator's certificate", () => identityFor(org.secretKey, 'bert', 'Bert')],
    ['with a certificate from another organisation key', () => identityFor(newSigningKeyPair().secretKey, 'anna', 'Anna')],
  ] as const) {
    it(`refuses an accept ${title}, and the offer stays open`, async () => {
      const anna = new TestOperator(await operatorSocket(server, 'anna'), identity());
      await anna.available();
      const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
      const accepting = anna.acceptNextOffer().catch(() => undefined);
      expect(await anna.socket.next('error')).to.include({ code: 'ERR_IDENTITY_REQUIRED', ticket: visitor.chat });
      expect((await server.store.getTicket(visitor.chat))?.state).to.equal('waiting');
      expect(visitor.socket.has('connected')).to.equal(false);
      anna.socket.close();
      await accepting;
    });
  }
});
