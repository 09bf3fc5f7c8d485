import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { CallCapacityRule } from '../../../server/routing/call-capacity.js';
import { TestVisitor } from '../../support/chat-parties.js';
import { signIn, visitorSocket } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { onDuty, placeCall, testVoice } from '../../support/voice-calls.js';
import { settle } from '../../support/settle.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] };
const route = { line: '1712', language: 'nl', topic: 'violence' };
const account = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'test-api-key-secret',
  twimlAppSid: `AP${'c'.repeat(32)}`,
};

describe("The console's side of calls", () => {
  let server: TestServer;
  afterEach(() => server?.close());

  describe('GET /api/voice/token', () => {
    it('mints a token for the signed-in operator: outgoing calls to the TwiML App only, as their id, for at most an hour', async () => {
      server = await startTestServer({ operators: [{ id: 'anna', ...nl }], config: { voice: testVoice({ mode: 'twilio', account }) } });
      const cookie = await signIn(server, 'anna');
      const res = await fetch(`${server.url}/api/voice/token`, { headers: { cookie } });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { mode: string; token: string; identity: string; expiresIn: number };
      expect(body).to.include({ mode: 'twilio', identity: 'anna', expiresIn: 3600 });
      const [header, payload, signature] = body.token.split('.') as [string, string, string];
      // Signed with the API key's secret (HS256), so Twilio will take it.
      expect(createHmac('sha256', account.apiKeySecret).update(`${header}.${payload}`).digest('base64url')).to.equal(signature);
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown> & {
        grants: { identity: string; voice: { outgoing?: { application_sid: string }; incoming?: { allow: boolean } } } & Record<string, unknown>;
        exp: number;
        nbf?: number;
        iat?: number;
      };
      expect(claims).to.include({ iss: account.apiKeySid, sub: account.accountSid });
      expect(claims.grants.identity).to.equal('anna');
      expect(Object.keys(claims.grants).sort()).to.deep.equal(['identity', 'voice']);
      expect(claims.grants.voice.outgoing).to.deep.equal({ application_sid: account.twimlAppSid });
      expect(claims.grants.voice.incoming?.allow ?? false).to.equal(false);
      const issued = claims.iat ?? claims.nbf ?? Math.floor(Date.now() / 1000);
      expect(claims.exp - issued).to.be.at.most(3600).and.above(0);
    });

    it('says simulated in the demo, and refuses anyone not signed in', async () => {
      server = await startTestServer({ operators: [{ id: 'anna', ...nl }], config: { voice: testVoice() } });
      expect((await fetch(`${server.url}/api/voice/token`)).status).to.equal(401);
      const cookie = await signIn(server, 'anna');
      expect(await (await fetch(`${server.url}/api/voice/token`, { headers: { cookie } })).json()).to.deep.equal({ mode: 'simulated' });
    });

    it('is not there at all without voice, and neither are the webhooks', async () => {
      server = await startTestServer({ operators: [{ id: 'anna', ...nl }] });
      const cookie = await signIn(server, 'anna');
      expect((await fetch(`${server.url}/api/voice/token`, { headers: { cookie } })).status).to.equal(404);
      expect((await fetch(`${server.url}/voice/incoming`, { method: 'POST' })).status).to.equal(404);
    });
  });

  describe('the content security policy', () => {
    const csp = async (path: string) => (await fetch(`${server.url}${path}`)).headers.get('content-security-policy') ?? '';

    it("lets the console, and only the console, reach Twilio's voice servers when voice is on", async () => {
      server = await startTestServer({ config: { voice: testVoice({ mode: 'twilio', account }) } });
      expect(await csp('/console/')).to.match(/connect-src 'self' wss:\/\/\*\.twilio\.com https:\/\/\*\.twilio\.com/);
      expect(await csp('/console/')).to.include('media-src \'self\' https://sdk.twilio.com');
      for (const path of ['/widget/', '/demo/']) expect(await csp(path)).to.not.include('twilio');
    });

    it('keeps the console to its own origin without Twilio', async () => {
      server = await startTestServer({ config: { voice: testVoice() } });
      expect(await csp('/console/')).to.not.include('twilio');
    });
  });

  describe('POST /api/voice/simulated-connect', () => {
    it('connects only the operator holding the call, and the simulator then sees it bridged', async () => {
      server = await startTestServer({ operators: [{ id: 'anna', ...nl }, { id: 'bert', ...nl }], config: { voice: testVoice() } });
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route);
      const offer = await anna.next<{ ticket: string }>('offer');
      anna.send({ type: 'accept', ticket: offer.ticket });
      await anna.next('assigned');
      const connect = async (id: string) =>
        fetch(`${server.url}/api/voice/simulated-connect`, {
          method: 'POST',
          headers: { cookie: await signIn(server, id), 'content-type': 'application/json', origin: server.url },
          body: JSON.stringify({ ticket: call.ticket }),
        });
      const refused = await connect('bert');
      expect(refused.status).to.equal(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('ERR_NOT_IN_CHAT');
      const state = async () => JSON.parse((await call.twilio.post(`/voice/simulated/state?ticket=${encodeURIComponent(call.ticket)}`, call.params())).body) as { state: string };
      expect(await state()).to.deep.equal({ state: 'waiting' });
      expect((await connect('anna')).status).to.equal(200);
      expect(await state()).to.deep.equal({ state: 'bridged' });
    });
  });

  describe('a call and two chats against one operator of capacity 3', () => {
    async function scene(rule: CallCapacityRule) {
      server = await startTestServer({ operators: [{ id: 'anna', ...nl, capacity: 3 }], config: { voice: testVoice(), callCapacityRule: rule } });
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route);
      const callOffer = await anna.next<{ ticket: string; channel: string }>('offer');
      expect(callOffer).to.include({ ticket: call.ticket, channel: 'call' });
      anna.send({ type: 'accept', ticket: callOffer.ticket });
      await anna.next('assigned');
      const chats: TestVisitor[] = [];
      for (let i = 0; i < 2; i++) chats.push(await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence'));
      // Let every routing run those arrivals started finish (in-process: no clock time passes).
      await settle();
      return { anna, call, chats };
    }

    it('offers no chat during the call under blocks-new, and both once the call is over', async () => {
      const { anna, call } = await scene('blocks-new');
      expect(anna.received.filter((m) => m.type === 'offer').map((m) => (m as { channel?: string }).channel)).to.deep.equal(['call']);
      await call.hangUpWaiting();
      await anna.next('ended');
      expect(await anna.next('offer')).to.include({ channel: 'chat' });
      expect(await anna.next('offer')).to.include({ channel: 'chat' });
    });

    it('offers both chats beside the call under one-place, and they all fit', async () => {
      const { anna } = await scene('one-place');
      const offers = [await anna.next<{ ticket: string; channel: string }>('offer'), await anna.next<{ ticket: string; channel: string }>('offer')];
      expect(offers.map((o) => o.channel)).to.deep.equal(['chat', 'chat']);
      for (const offer of offers) anna.send({ type: 'accept', ticket: offer.ticket, key: 'A'.repeat(43) });
      expect(await anna.next('assigned')).to.include({ channel: 'chat' });
      expect(await anna.next('assigned')).to.include({ channel: 'chat' });
      expect((await server.store.getPresence('anna'))!.active).to.have.length(3);
    });
  });
});
