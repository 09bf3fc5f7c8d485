import { expect } from 'chai';
import { quarterBuckets } from '../../support/aggregate-views.js';
import { ManualClock } from '../../../server/clock.js';
import { MIN_STALE_MS } from '../../../server/voice/call-watch.js';
import type { SocketClient } from '../../support/socket-client.js';
import { startTestServer, type TestOperator as OperatorSpec, type TestServer, type TestServerOptions } from '../../support/test-server.js';
import twilioLib from 'twilio';
import { CallStates } from '../../../server/voice/call-state.js';
import { find, numberOf, onDuty, TEST_AUTH_TOKEN, placeCall, PUBLIC_BASE, RecordingTwilioRest, spoken, TestCall, testVoice, TwilioSide } from '../../support/voice-calls.js';
import { until } from '../../support/settle.js';

const nl1712 = { lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] };
const route1712 = { line: '1712', language: 'nl', topic: 'violence' };

/** Accept the next offer, which must be a call; returns its ticket. */
async function acceptCall(socket: SocketClient): Promise<string> {
  const offer = await socket.next<{ ticket: string; channel: string }>('offer');
  expect(offer.channel).to.equal('call');
  socket.send({ type: 'accept', ticket: offer.ticket });
  const assigned = await socket.next<{ chat: string; channel: string; key?: string }>('assigned');
  expect(assigned).to.include({ chat: offer.ticket, channel: 'call' });
  expect(assigned).to.not.have.property('key');
  return offer.ticket;
}

describe('Phone calls through Twilio, webhook by webhook', () => {
  let server: TestServer;
  let rest: RecordingTwilioRest;
  const start = async (operators: OperatorSpec[], options: TestServerOptions = {}) => {
    rest = new RecordingTwilioRest();
    // Callers here hang up at once: short abandons are left to their own test below.
    server = await startTestServer({ operators, twilioRest: rest, ...options, config: { voice: testVoice(), shortAbandonMs: 0, ...options.config } });
  };
  afterEach(() => server?.close());

  describe('menus', () => {
    it('asks a line with two languages for the language, each in its own voice, and queues the call in the chosen one', async () => {
      await start([]);
      const call = new TestCall(new TwilioSide(server), numberOf(server, 'stop-it-now'));
      const menu = await call.incoming();
      expect(menu.status).to.equal(200);
      const gather = find(menu.verbs, 'Gather')!;
      expect(gather.attrs).to.include({ numDigits: '1' });
      expect(gather.attrs.action).to.match(new RegExp(`^${PUBLIC_BASE}/voice/language\\?`));
      const says = gather.children.filter((v) => v.name === 'Say');
      expect(says.map((s) => [s.attrs.language, s.text])).to.deep.equal([
        ['fr-BE', 'Pour le français, tapez 1.'],
        ['nl-BE', 'Voor Nederlands, druk 2.'],
      ]);
      const queued = await call.press(menu, '2');
      const enqueue = find(queued.verbs, 'Enqueue')!;
      expect(enqueue.attrs.waitUrl).to.equal(`${PUBLIC_BASE}/voice/wait?ticket=${encodeURIComponent(enqueue.text)}`);
      expect(enqueue.attrs.action).to.equal(`${PUBLIC_BASE}/voice/queue-result?ticket=${encodeURIComponent(enqueue.text)}`);
      const ticket = await server.store.getTicket(enqueue.text);
      expect(ticket).to.include({ channel: 'call', line: 'stop-it-now', language: 'nl', topic: 'attraction-to-minors', state: 'waiting' });
    });

    it('asks a line with several topics for the topic in the chosen language', async () => {
      await start([]);
      const call = new TestCall(new TwilioSide(server), numberOf(server, '108'));
      const menu = await call.incoming();
      expect(spoken(menu.verbs)).to.deep.equal([
        'Willkommen bei 108. Die Beraterin oder der Berater sieht Ihre Nummer nicht.',
        'Für Gewalt in der Familie drücken Sie die 1.',
        'Für Gewalt in der Partnerschaft drücken Sie die 2.',
      ]);
      await call.press(menu, '2');
      expect(await server.store.getTicket(call.ticket)).to.include({ line: '108', language: 'de', topic: 'partner-violence' });
    });

    it('says the menu once more after a wrong key, then takes its first choice when no key comes', async () => {
      await start([]);
      const call = new TestCall(new TwilioSide(server), numberOf(server, '1712'));
      const menu = await call.incoming();
      const again = await call.press(menu, '9');
      expect(spoken(again.verbs)[0]).to.equal('Sorry, dat is geen van de keuzes.');
      expect(find(again.verbs, 'Gather')!.attrs.action).to.include('try=2');
      expect(call.enqueue).to.equal(null);
      await call.press(again, null);
      expect(await server.store.getTicket(call.ticket)).to.include({ topic: 'violence' });
    });

    it('repeats a menu that got no key at all without saying it was wrong', async () => {
      await start([]);
      const call = new TestCall(new TwilioSide(server), numberOf(server, '1712'));
      const again = await call.press(await call.incoming(), null);
      expect(spoken(again.verbs)).to.not.include('Sorry, dat is geen van de keuzes.');
      expect(find(again.verbs, 'Gather')).to.not.equal(undefined);
    });

    it('tells a caller after hours when the line is open, what else exists and the emergency number, then hangs up', async () => {
      // Sunday 22 November 2026, 13:00 in Brussels: 1712 is open on weekdays only.
      await start([], { clock: new ManualClock(Date.UTC(2026, 10, 22, 12)), config: { ignoreHours: false } });
      const call = new TestCall(new TwilioSide(server), numberOf(server, '1712'));
      const reply = await call.incoming();
      expect(spoken(reply.verbs)).to.deep.equal([
        '1712 is nu gesloten. We zijn open maandag tot vrijdag, van 09:00 tot 22:00.',
        'Bent u nu in gevaar? Leg dan in en bel 112.',
      ]);
      expect(reply.verbs.at(-1)!.name).to.equal('Hangup');
      expect(await server.store.listTickets()).to.deep.equal([]);
    });

    it('names a line language that has no spoken prompts in English, and queues its callers in that language', async () => {
      await start([]);
      const lines = structuredClone(server.config.lines);
      await server.close();
      lines.lines.find((l) => l.id === '1712')!.languages = ['nl', 'ar'];
      await start([], { config: { lines } });
      const call = new TestCall(new TwilioSide(server), numberOf(server, '1712'));
      const menu = await call.incoming();
      expect(spoken(find(menu.verbs, 'Gather')!.children)).to.deep.equal(['Voor Nederlands, druk 1.', 'For Arabic, press 2.']);
      await call.press(await call.press(menu, '2'), '1');
      expect(await server.store.getTicket(call.ticket)).to.include({ language: 'ar', topic: 'violence' });
    });

    it('answers a number that reaches no line with a short refusal and no ticket', async () => {
      await start([]);
      const reply = await new TestCall(new TwilioSide(server), '+3225559999').incoming();
      expect(spoken(reply.verbs)).to.deep.equal(['This number is not in service.']);
      expect(await server.store.listTickets()).to.deep.equal([]);
    });
  });

  describe('waiting and answering', () => {
    it('tells each caller their place and wait, and moves them up as callers ahead are answered', async () => {
      await start([{ id: 'anna', ...nl1712, capacity: 1 }]);
      const anna = await onDuty(server, 'anna');
      const calls: TestCall[] = [];
      for (let i = 0; i < 3; i++) calls.push(await placeCall(server, route1712));
      const third = spoken((await calls[2]!.wait()).verbs);
      expect(third[0]).to.equal('U bent nummer 3 in de wachtrij.');
      expect(third[1]).to.match(/^U wacht ongeveer \d+ minuten\.$/);

      const first = await acceptCall(anna);
      expect(first).to.equal(calls[0]!.ticket);
      expect(spoken((await calls[2]!.wait()).verbs)[0]).to.equal('U bent nummer 2 in de wachtrij.');
      expect(spoken((await calls[1]!.wait()).verbs)[0]).to.equal('U bent als volgende aan de beurt.');
      // The answered caller hears that someone is answering, while the device dials their queue.
      expect(spoken((await calls[0]!.wait()).verbs)).to.deep.equal(['Een hulpverlener neemt nu uw oproep aan.']);
    });

    it('puts the operator who holds the call through to its queue, and refuses anyone else with a spoken refusal', async () => {
      await start([{ id: 'anna', ...nl1712 }, { id: 'bert', ...nl1712 }]);
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route1712);
      const ticket = await acceptCall(anna);
      const twilio = new TwilioSide(server);
      const device = (from: string) => ({ CallSid: `CA${'1'.repeat(32)}`, AccountSid: call.accountSid, From: from, To: '', ticket });

      const connect = await twilio.post('/voice/connect', device('client:anna'));
      const dial = connect.verbs.find((v) => v.name === 'Dial')!;
      expect(dial.children.map((c) => [c.name, c.text])).to.deep.equal([['Queue', ticket]]);
      expect(dial.attrs.action).to.equal(`${PUBLIC_BASE}/voice/dial-ended?ticket=${encodeURIComponent(ticket)}`);

      const refused = await twilio.post('/voice/connect', device('client:bert'));
      expect(find(refused.verbs, 'Dial')).to.equal(undefined);
      expect(spoken(refused.verbs)).to.deep.equal(['Deze oproep is niet voor u. Tot ziens.']);
      expect(refused.verbs.at(-1)!.name).to.equal('Hangup');
      const forged = await twilio.post('/voice/connect', device('anna'));
      expect(find(forged.verbs, 'Dial')).to.equal(undefined);
    });

    it('takes a caller who hangs up while waiting out of the queue at once, counts them abandoned and deletes their queue and call log at Twilio', async () => {
      await start([{ id: 'anna', ...nl1712 }]);
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route1712);
      expect((await anna.next<{ ticket: string }>('offer')).ticket).to.equal(call.ticket);
      await call.leaveQueue('hangup');
      expect(await anna.next('offer-withdrawn')).to.include({ ticket: call.ticket, reason: 'left' });
      expect(await server.store.getTicket(call.ticket)).to.include({ state: 'ended', endedBy: 'visitor' });
      expect(await server.store.waitingTickets(10)).to.deep.equal([]);
      await call.completed();
      const [bucket] = await quarterBuckets(server.store);
      expect(bucket).to.include({ line: '1712', language: 'nl', topic: 'violence', channel: 'call' });
      expect(bucket!.counts).to.deep.equal({ requested: 1, abandoned: 1 });
      expect(rest.removed).to.deep.equal([
        { kind: 'queue', sid: call.queueSid },
        { kind: 'call', sid: call.sid },
      ]);
    });

    it('counts a caller who hangs up within the short-abandon time apart, as a short abandon', async () => {
      await start([], { clock: 'manual', config: { shortAbandonMs: 5_000 } });
      const quick = await placeCall(server, route1712);
      server.manualClock!.advance(4_000);
      await quick.hangUpWaiting();
      const patient = await placeCall(server, route1712);
      server.manualClock!.advance(5_000);
      await patient.hangUpWaiting();
      expect((await quarterBuckets(server.store))[0]!.counts).to.deep.equal({ requested: 2, shortAbandoned: 1, abandoned: 1 });
    });

    it('ends a waiting call on the status callback alone, if the queue result never came', async () => {
      await start([]);
      const call = await placeCall(server, route1712);
      await call.completed();
      expect(await server.store.getTicket(call.ticket)).to.include({ state: 'ended' });
      expect((await quarterBuckets(server.store))[0]!.counts).to.include({ abandoned: 1 });
    });

    it('tells an operator whose accept comes just after the caller hung up that the caller left', async () => {
      await start([{ id: 'anna', ...nl1712 }]);
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route1712);
      const offer = await anna.next<{ ticket: string }>('offer');
      await call.hangUpWaiting();
      anna.send({ type: 'accept', ticket: offer.ticket });
      expect(await anna.next('error')).to.include({ code: 'ERR_OFFER_GONE', ticket: offer.ticket });
      const withdrawn = anna.received.filter((m) => m.type === 'offer-withdrawn');
      expect(withdrawn.length).to.be.above(0);
      expect(withdrawn.every((m) => (m as { reason?: string }).reason === 'left')).to.equal(true);
    });

    it('tells the operator when the caller hangs up between the accept and the connect, and never dials their empty queue', async () => {
      await start([{ id: 'anna', ...nl1712 }]);
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route1712);
      const ticket = await acceptCall(anna);
      await call.hangUpWaiting();
      expect(await anna.next('ended')).to.include({ chat: ticket, by: 'visitor' });
      const connect = await new TwilioSide(server).post('/voice/connect', { CallSid: `CA${'2'.repeat(32)}`, From: 'client:anna', ticket });
      expect(find(connect.verbs, 'Dial')).to.equal(undefined);
      expect(spoken(connect.verbs)).to.deep.equal(['De beller heeft al ingehaakt. Tot ziens.']);
      // Answered, then over: the operator still wraps it up, and it counts once as answered.
      anna.send({ type: 'end', chat: ticket, wrapUp: 'silent' });
      await anna.next('ended');
      expect((await quarterBuckets(server.store))[0]!.counts).to.deep.equal({ requested: 1, answered: 1, 'wrapUp:silent': 1 });
    });
  });

  describe('a wait that outlived its ticket', () => {
    it('hangs up, with the emergency number, a caller whose wait URL asks about a ticket that ended or never existed', async () => {
      await start([{ id: 'anna', ...nl1712 }]);
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route1712);
      const ticket = await acceptCall(anna);
      // The operator's console is gone for good: the system ends the call they held.
      anna.send({ type: 'status', status: 'away' });
      await server.store.endTicket(ticket, 'system', Date.now(), 60_000);
      const wait = await call.wait();
      expect(spoken(wait.verbs)).to.deep.equal(['Sorry, er ging iets mis. Bel alstublieft opnieuw. Bel 112 in een noodgeval.']);
      expect(wait.verbs.at(-1)!.name).to.equal('Hangup');
      const stranger = new TestCall(new TwilioSide(server), numberOf(server, '1712'));
      const unknown = await stranger.twilio.post('/voice/wait?ticket=AAAAAAAAAAAAAAAAAAAAAA', stranger.params());
      expect(unknown.verbs.at(-1)!.name).to.equal('Hangup');
    });
  });

  describe('an accepted call the device never reaches', () => {
    it('tells the operator the call was lost and puts the caller back in the queue for someone else', async () => {
      await start([{ id: 'anna', ...nl1712 }, { id: 'bert', ...nl1712 }], { clock: 'manual' });
      const anna = await onDuty(server, 'anna');
      const call = await placeCall(server, route1712);
      const first = await acceptCall(anna);
      const bert = await onDuty(server, 'bert');
      expect(spoken((await call.wait()).verbs)).to.deep.equal(['Een hulpverlener neemt nu uw oproep aan.']);
      server.manualClock!.advance(45_000);
      const wait = await call.wait(45);
      expect(wait.verbs.map((v) => v.name)).to.deep.equal(['Say', 'Leave']);
      await call.leaveQueue('leave', 45);
      expect(await anna.next('ended')).to.include({ chat: first, by: 'system' });
      expect(call.ticket).to.not.equal(first);
      expect(await server.store.getTicket(call.ticket)).to.include({ state: 'waiting', channel: 'call', language: 'nl', topic: 'violence' });
      expect(await bert.next('offer')).to.include({ ticket: call.ticket, channel: 'call' });
    });
  });

  describe('honest about language', () => {
    it('says at once that nobody who speaks the language is available, offers the language someone speaks now, the hours and 112', async () => {
      // Monday 23 November 2026, 11:00 in Brussels: open, with its hours to tell.
      await start([{ id: 'claire', lines: ['stop-it-now'], languages: ['fr'], topics: ['attraction-to-minors'] }], { clock: 'manual', config: { ignoreHours: false } });
      const claire = await onDuty(server, 'claire');
      const call = await placeCall(server, { line: 'stop-it-now', language: 'nl', topic: 'attraction-to-minors' });
      const wait = await call.wait();
      const gather = find(wait.verbs, 'Gather')!;
      expect(spoken(wait.verbs)).to.deep.equal([
        'U bent als volgende aan de beurt.',
        'Op dit moment is er geen hulpverlener beschikbaar die Nederlands spreekt.',
        'Un écoutant qui parle français peut répondre maintenant. Pour parler en français, tapez 1.',
        'Deze lijn is bemand maandag tot vrijdag, van 09:00 tot 17:00.',
        'Bent u nu in gevaar? Leg dan in en bel 112.',
        'U kunt aan de lijn blijven. We nemen op zodra iemand vrij is.',
      ]);
      // The Dutch sentences in the Dutch voice, the French offer in the French one.
      expect(gather.children.filter((v) => v.name === 'Say').map((v) => v.attrs.language)).to.deep.equal(['nl-BE', 'nl-BE', 'fr-BE', 'nl-BE', 'nl-BE', 'nl-BE']);
      // Said once; the next runs say only the place and that nobody is there yet.
      expect(spoken((await call.wait()).verbs)).to.have.length(2);

      const left = await call.pressInWait(wait, '1');
      expect(left.verbs.map((v) => v.name)).to.deep.equal(['Say', 'Leave']);
      const old = call.ticket;
      await call.leaveQueue('leave');
      expect(call.ticket).to.not.equal(old);
      expect(await server.store.getTicket(call.ticket)).to.include({ language: 'fr', topic: 'attraction-to-minors', channel: 'call' });
      expect(await server.store.getTicket(old)).to.include({ state: 'ended' });
      expect((await claire.next<{ ticket: string }>('offer')).ticket).to.equal(call.ticket);
      const buckets = await quarterBuckets(server.store);
      expect(buckets.find((b) => b.language === 'nl')!.counts).to.deep.equal({ requested: 1, moved: 1 });
      expect(buckets.find((b) => b.language === 'fr')!.counts).to.deep.equal({ requested: 1 });
    });

    it('offers no other language when nobody at all is on duty, and never a line of the other family', async () => {
      await start([]);
      const call = await placeCall(server, { line: 'seos', language: 'fr', topic: 'consent-questions' });
      const said = spoken((await call.wait()).verbs);
      expect(find((await call.wait()).verbs, 'Gather')).to.equal(undefined);
      expect(said).to.include("En ce moment, aucun écoutant qui parle français n'est disponible.");
      expect(said.join(' ')).to.not.match(/1712|Écoute violences|SOS Viol|108/);
      expect(said).to.include('Si vous êtes en danger maintenant, raccrochez et appelez le 112.');
    });
  });

  describe('overflow', () => {
    it("puts a caller who waited past the overflow time through to the line's overflow number, counted as overflowed", async () => {
      await start([], { clock: 'manual' });
      const lines = structuredClone(server.config.lines);
      await server.close();
      lines.lines.find((l) => l.id === '1712')!.voice!.overflow = { name: 'de nachtlijn', number: '+3225550199' };
      await start([], { clock: 'manual', config: { lines, voice: testVoice({ overflowAfterMs: 120_000 }) } });
      const call = await placeCall(server, route1712);
      expect(find((await call.wait()).verbs, 'Leave')).to.equal(undefined);
      server.manualClock!.advance(120_000);
      const wait = await call.wait(120);
      expect(spoken(wait.verbs)).to.deep.equal(['We verbinden u door met de nachtlijn. Een ogenblik.']);
      expect(wait.verbs.at(-1)!.name).to.equal('Leave');
      const after = await call.leaveQueue('leave');
      const dial = after.verbs.find((v) => v.name === 'Dial')!;
      expect(dial.text).to.equal('+3225550199');
      // The overflow line sees the helpline's number, never the caller's.
      expect(dial.attrs.callerId).to.equal(numberOf(server, '1712'));
      expect(await server.store.getTicket(call.ticket)).to.include({ state: 'ended' });
      expect((await quarterBuckets(server.store))[0]!.counts).to.deep.equal({ requested: 1, overflowed: 1 });
    });

    it('tells the alternatives after the overflow time to a caller on a line without an overflow number', async () => {
      await start([{ id: 'anna', ...nl1712, capacity: 1 }], { clock: 'manual', config: { voice: testVoice({ overflowAfterMs: 120_000 }) } });
      const anna = await onDuty(server, 'anna');
      await placeCall(server, route1712);
      await acceptCall(anna);
      const call = await placeCall(server, route1712);
      expect(spoken((await call.wait()).verbs)).to.not.include('Bent u nu in gevaar? Leg dan in en bel 112.');
      server.manualClock!.advance(120_000);
      expect(spoken((await call.wait()).verbs)).to.include('Bent u nu in gevaar? Leg dan in en bel 112.');
    });
  });

  describe('signatures and retries', () => {
    it('refuses a missing, a wrong, and a signature for another address with 403, and changes nothing', async () => {
      await start([]);
      const twilio = new TwilioSide(server);
      const call = new TestCall(twilio, numberOf(server, '1712'));
      for (const signature of [null, 'bm90IGEgc2lnbmF0dXJl']) {
        const reply = await twilio.post('/voice/language?line=1712&try=1', call.params({ Digits: '1' }), signature);
        expect(reply.status).to.equal(403);
        expect(JSON.parse(reply.body)).to.deep.include({ error: { code: 'ERR_BAD_SIGNATURE', message: 'This request does not carry a valid Twilio signature.' } });
      }
      // Signed correctly, but for the address a proxy passed on rather than the public one.
      const url = `${server.url}/voice/incoming`;
      const local = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioLib.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, call.params()) },
        body: new URLSearchParams(call.params()).toString(),
      });
      expect(local.status).to.equal(403);
      const wrongToken = await new TwilioSide(server, 'another-token').post('/voice/incoming', call.params());
      expect(wrongToken.status).to.equal(403);
      expect(await server.store.listTickets()).to.deep.equal([]);
      expect(await quarterBuckets(server.store)).to.deep.equal([]);
    });

    it('answers a queue result Twilio sends again after a move with the new queue, and abandons nothing', async () => {
      await start([{ id: 'claire', lines: ['stop-it-now'], languages: ['fr'], topics: ['attraction-to-minors'] }]);
      await onDuty(server, 'claire');
      const call = await placeCall(server, { line: 'stop-it-now', language: 'nl', topic: 'attraction-to-minors' });
      await call.pressInWait(await call.wait(), '1');
      const first = call.enqueue!;
      const moved = await call.leaveQueue('leave');
      const again = await call.twilio.post(first.attrs.action!, call.params({ QueueResult: 'leave', QueueSid: call.queueSid! }));
      expect(find(again.verbs, 'Enqueue')!.text).to.equal(find(moved.verbs, 'Enqueue')!.text);
      expect(await server.store.getTicket(call.ticket)).to.include({ state: 'waiting', language: 'fr' });
      expect((await quarterBuckets(server.store)).every((b) => !b.counts.abandoned)).to.equal(true);
    });

    it("hangs up, after a while, a call whose ticket was claimed by a node that died before storing it", async () => {
      await start([], { clock: 'manual' });
      const call = new TestCall(new TwilioSide(server), numberOf(server, '1712'));
      await new CallStates(server.store, 60_000).claimCall(call.sid, 'NeverStoredNeverStored', server.clock.now());
      call.enqueue = { name: 'Enqueue', attrs: { waitUrl: `${PUBLIC_BASE}/voice/wait?ticket=NeverStoredNeverStored` }, text: 'NeverStoredNeverStored', children: [] };
      call.queueSid = `QU${'0'.repeat(32)}`;
      expect((await call.wait()).verbs.map((v) => v.name)).to.deep.equal(['Pause']);
      server.manualClock!.advance(30_000);
      expect((await call.wait()).verbs.at(-1)!.name).to.equal('Hangup');
    });

    it('makes one ticket for a webhook Twilio sends twice, even at the same time', async () => {
      await start([]);
      const twilio = new TwilioSide(server);
      const call = new TestCall(twilio, numberOf(server, '1712'));
      const menu = await call.incoming();
      const action = find(menu.verbs, 'Gather')!.attrs.action!;
      const replies = await Promise.all([1, 2, 3].map(() => twilio.post(action, call.params({ Digits: '1' }))));
      const names = new Set(replies.map((r) => find(r.verbs, 'Enqueue')!.text));
      expect(names.size).to.equal(1);
      const again = await twilio.post(action, call.params({ Digits: '1' }));
      expect(find(again.verbs, 'Enqueue')!.text).to.equal([...names][0]);
      expect(await server.store.listTickets()).to.have.length(1);
      expect((await quarterBuckets(server.store))[0]!.counts).to.deep.equal({ requested: 1 });
    });

    it('retries a deletion Twilio refused, later, off the call path', async () => {
      await start([], { clock: 'manual' });
      rest.failures = 1;
      const call = await placeCall(server, route1712);
      await call.hangUpWaiting();
      expect(rest.removed.map((r) => r.kind)).to.deep.equal(['call']);
      server.manualClock!.advance(5_000);
      await until(async () => rest.removed.length === 2, 'the retried deletion');
      expect(rest.removed).to.deep.include({ kind: 'queue', sid: call.queueSid });
    });
  });

  describe('the lost-call watch', () => {
    it('takes a waiting call whose wait URL stopped running out of the queue on the sweep', async () => {
      await start([], { clock: 'manual' });
      const call = await placeCall(server, route1712);
      await call.wait();
      server.manualClock!.advance(MIN_STALE_MS - 60_000);
      expect(await server.store.getTicket(call.ticket)).to.include({ state: 'waiting' });
      server.manualClock!.advance(2 * 60_000);
      await until(async () => (await server.store.getTicket(call.ticket))?.state === 'ended', 'the sweep ended the lost call');
      expect(await server.store.getTicket(call.ticket)).to.include({ endedBy: 'system' });
    });
  });
});
