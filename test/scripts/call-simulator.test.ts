import { expect } from 'chai';
import { quarterBuckets } from '../support/aggregate-views.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedIo, type ScriptedIo } from '../../scripts/call/call-io.js';
import { simulateCall, type CallOptions } from '../../scripts/call/simulator.js';
import { parseTwiml, TwimlError } from '../../scripts/call/twiml.js';
import { WebhookFailed } from '../../scripts/call/webhooks.js';
import { fr } from '../../server/voice/prompts/fr.js';
import { nl } from '../../server/voice/prompts/nl.js';
import { signIn, type SocketClient } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { numberOf, onDuty as onDutyConsole, PUBLIC_BASE, TEST_AUTH_TOKEN, testVoice } from '../support/voice-calls.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const preventionNl = { lines: ['stop-it-now'], languages: ['nl'], topics: ['attraction-to-minors'] };

/** Call time runs this much faster: a 30 s hold pause takes 0.3 s. */
const SPEED = 100;

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('The call simulator (npm run call)', () => {
  describe('reading TwiML', () => {
    it('keeps the verbs in document order, with a Gather’s prompts inside it', () => {
      const verbs = parseTwiml(
        '<?xml version="1.0"?><Response><Gather numDigits="1" timeout="6" action="https://q.test/voice/language?line=a&amp;try=1">' +
          '<Say language="fr-BE" voice="Polly.Isabelle-Neural">Pour le français, tapez 1.</Say><Pause length="2"/></Gather>' +
          '<Redirect method="POST">https://q.test/voice/language?line=a&amp;try=1</Redirect></Response>',
      );
      expect(verbs.map((v) => v.verb)).to.deep.equal(['Gather', 'Redirect']);
      expect(verbs[0]).to.deep.include({ action: 'https://q.test/voice/language?line=a&try=1', numDigits: 1, timeoutSeconds: 6, method: 'POST' });
      expect(verbs[0]!.verb === 'Gather' && verbs[0]!.prompts).to.deep.equal([
        { verb: 'Say', text: 'Pour le français, tapez 1.', language: 'fr-BE', voice: 'Polly.Isabelle-Neural', loop: 1 },
        { verb: 'Pause', seconds: 2 },
      ]);
    });

    it('reads a number to dial as text, bare or in <Number>', () => {
      expect(parseTwiml('<Response><Dial>+3225550170</Dial></Response>')).to.deep.equal([{ verb: 'Dial', targets: ['+3225550170'] }]);
      expect(parseTwiml('<Response><Dial action="x"><Number>+3225550170</Number></Dial></Response>')).to.deep.equal([{ verb: 'Dial', targets: ['+3225550170'] }]);
    });

    it('refuses a verb it cannot play, and a document that is not TwiML', () => {
      expect(() => parseTwiml('<Response><Record/></Response>')).to.throw(TwimlError, '<Record>');
      expect(() => parseTwiml('<Response><Say>open')).to.throw(TwimlError, 'not well-formed');
      expect(() => parseTwiml('{"error":{}}')).to.throw(TwimlError);
    });
  });

  describe('against a real Quietline with simulated voice', () => {
    let server: TestServer;
    let sockets: SocketClient[];
    afterEach(async () => {
      for (const socket of sockets) socket.close();
      await server?.close();
    });

    const start = async (operators: Array<{ id: string } & typeof preventionNl> = []) => {
      sockets = [];
      // Simulated seconds run faster than the server's clock: no hang-up here is a short abandon.
      server = await startTestServer({ operators, config: { voice: testVoice(), shortAbandonMs: 0 } });
    };

    /**
     * The server believes it is at PUBLIC_BASE (as behind a proxy) and signs are checked for
     * that URL; the requests themselves go to the test server on loopback.
     */
    const call = (io: ScriptedIo, options: Partial<CallOptions> = {}) =>
      simulateCall(
        {
          base: PUBLIC_BASE,
          authToken: TEST_AUTH_TOKEN,
          to: numberOf(server, 'stop-it-now'),
          speed: SPEED,
          fetch: (url, init) => fetch(String(url).replace(PUBLIC_BASE, server.url), init),
          ...options,
        },
        io,
      );

    const onDuty = async (id: string) => {
      const socket = await onDutyConsole(server, id);
      sockets.push(socket);
      return socket;
    };

    it('goes through the language menu of a line with two languages and waits in the chosen one’s queue, hearing the wait announcement', async () => {
      await start();
      const io = scriptedIo(['2']);
      // Long enough to hear the whole announcement even on a loaded machine (6 s real).
      const summary = await call(io, { hangUpAfterSeconds: 600 });
      expect(io.lines).to.include.members([
        `🔊 [fr-BE] ${fr.pressForLanguage(1)}`,
        `🔊 [nl-BE] ${nl.pressForLanguage(2)}`,
        '⌨ pressed 2',
        `🔊 [nl-BE] ${nl.position(1)}`,
        `🔊 [nl-BE] ${nl.nobodyForLanguage(nl.languageNames.nl!)}`,
      ]);
      const [queue] = summary.queues;
      expect(queue).to.include({ result: 'hangup' });
      // The queue is named after the call's ticket, as the server's <Enqueue> said.
      expect(io.lines).to.include(`⏳ Waiting in queue ${queue!.queue}`);
      expect(io.lines.indexOf('⌨ pressed 2')).to.be.below(io.lines.indexOf(`⏳ Waiting in queue ${queue!.queue}`));
    });

    it('hangs up while waiting: the server takes the call out of its queue and counts it abandoned', async () => {
      await start();
      const io = scriptedIo(['2']);
      const summary = await call(io, { hangUpAfterSeconds: 5 });
      expect(summary.queues.map((q) => q.result)).to.deep.equal(['hangup']);
      expect(summary.queues[0]!.queueSeconds).to.be.at.least(5);
      expect(io.lines.at(-2)).to.equal('☎ The caller hangs up.');
      expect(await server.store.waitingTickets(10)).to.deep.equal([]);
      const buckets = await quarterBuckets(server.store);
      expect(buckets).to.have.length(1);
      expect(buckets[0]).to.include({ line: 'stop-it-now', language: 'nl', topic: 'attraction-to-minors', channel: 'call' });
      expect(buckets[0]!.counts).to.deep.equal({ requested: 1, abandoned: 1 });
    });

    it('takes the first language when no key comes to the menu said twice', async () => {
      await start();
      const io = scriptedIo([]);
      // Long enough to hear the first announcement even on a loaded machine (3 s real).
      await call(io, { hangUpAfterSeconds: 300 });
      expect(io.lines.filter((l) => l === `🔊 [nl-BE] ${nl.pressForLanguage(2)}`)).to.have.length(2);
      expect(io.lines.filter((l) => l.startsWith('⌨ (no key'))).to.have.length(2);
      expect(io.lines).to.include(`🔊 [fr-BE] ${fr.position(1)}`);
      expect((await quarterBuckets(server.store))[0]).to.include({ language: 'fr' });
    });

    it('is connected when the operator who accepted the call connects to it, and ends with a goodbye when the operator ends the call', async () => {
      await start([{ id: 'sam', ...preventionNl }]);
      const sam = await onDuty('sam');
      const io = scriptedIo(['2']);
      const done = call(io);

      const offer = await sam.next<{ ticket: string; channel: string }>('offer');
      expect(offer.channel).to.equal('call');
      sam.send({ type: 'accept', ticket: offer.ticket });
      await sam.next('assigned');
      const cookie = await signIn(server, 'sam');
      const connected = await fetch(`${server.url}/api/voice/simulated-connect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url, cookie },
        body: JSON.stringify({ ticket: offer.ticket }),
      });
      expect(connected.status).to.equal(200);
      await until(() => io.lines.some((l) => l.startsWith('Connected to the counsellor')), 'the simulator to be connected');

      sam.send({ type: 'end', chat: offer.ticket, wrapUp: 'information' });
      const summary = await done;
      expect(summary.queues.map((q) => q.result)).to.deep.equal(['bridged']);
      expect(io.lines.slice(-4)).to.deep.equal([
        '☎ The counsellor ended the call.',
        `🔊 [nl-BE] ${nl.goodbye}`,
        '☎ The line hangs up.',
        `☎ Call over after ${summary.durationSeconds} s.`,
      ]);
      const counts = (await quarterBuckets(server.store))[0]!.counts;
      expect(counts).to.include({ requested: 1, answered: 1, 'wrapUp:information': 1 });
      expect(counts).to.not.have.property('abandoned');
    });

    it('stops at the first refusal, with its status and error code', async () => {
      await start();
      const io = scriptedIo([]);
      let failure: unknown;
      await call(io, { authToken: 'not-the-token' }).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(WebhookFailed);
      expect(failure).to.include({ status: 403, code: 'ERR_BAD_SIGNATURE', url: `${PUBLIC_BASE}/voice/incoming` });
      expect(await quarterBuckets(server.store)).to.deep.equal([]);
    });
  });

  describe('on the command line', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'quietline-call-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const run = (args: string[], env: Record<string, string> = {}) => {
      const result = spawnSync(tsx, ['scripts/call.ts', ...args], { encoding: 'utf8', input: '', env: { ...process.env, ...env } });
      return { code: result.status, out: result.stdout, err: result.stderr };
    };

    it('prints its usage with --help', () => {
      const help = run(['--help']);
      expect(help.code).to.equal(0);
      expect(help.out).to.include('npm run call -- --line <id>').and.include('--digits').and.include('--hangup-after');
    });

    it('names the setting to fill in when the line has no phone number', () => {
      const lines = join(dir, 'lines.json');
      writeFileSync(lines, JSON.stringify({ lines: [{ id: 'chat-only' }] }));
      const result = run(['--line', 'chat-only'], { QUIETLINE_LINES: lines });
      expect(result.code).to.equal(1);
      expect(result.err).to.include('lines[0].voice.numbers').and.include('--to');
    });

    it('says when no server answers at the base URL', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const result = run(['--line', 'stop-it-now', '--base', `http://127.0.0.1:${port}`]);
      expect(result.code).to.equal(1);
      expect(result.err).to.include('Could not reach the server');
    });
  });
});
