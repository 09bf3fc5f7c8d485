import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import type { OperatorToServer, ServerToOperator } from '../../protocol/operator-messages.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { placeCall, testVoice } from '../support/voice-calls.js';
import { axeContext, DESKTOP, expectNoViolations, PHONE } from './axe.js';
import { launchChromium, linesWithEnglish, OPERATOR_1712, signInOperator } from './browser.js';

/**
 * Phone calls in the operator console. The first suite drives the console through its own
 * socket: the test stands between console and server, adds a call's offer, `assigned` and
 * `ended` frames and answers its voice endpoints, so every call state can be reached on
 * purpose. The second places a real (simulated) call through the server's voice webhooks.
 */

type Offer = Extract<ServerToOperator, { type: 'offer' }>;
type Assigned = Extract<ServerToOperator, { type: 'assigned' }>;

const CALL = { channel: 'call', line: '1712', language: 'nl', topic: 'violence' } as const;

/** The console's socket, with the test in the middle: calls only the test knows of. */
interface Relay {
  /** Everything the console sent, in order (forwarded or not). */
  sent: OperatorToServer[];
  /** Tickets the server never hears of: their accept and end stay with the test. */
  fake: Set<string>;
  inject(message: ServerToOperator): void;
}

async function relayThroughTest(context: BrowserContext): Promise<Relay> {
  let current: WebSocketRoute | null = null;
  const relay: Relay = {
    sent: [],
    fake: new Set(),
    inject: (message) => {
      if (!current) throw new Error('the console has no socket yet');
      current.send(JSON.stringify(message));
    },
  };
  await context.routeWebSocket(/\/ws\/operator/, (ws) => {
    current = ws;
    const upstream = ws.connectToServer();
    ws.onMessage((raw) => {
      const message = JSON.parse(String(raw)) as OperatorToServer;
      relay.sent.push(message);
      const ticket = 'ticket' in message ? message.ticket : 'chat' in message ? message.chat : undefined;
      if (ticket === undefined || !relay.fake.has(ticket)) upstream.send(raw);
    });
  });
  return relay;
}

/** The demo's voice, answered by the test: simulated, and each connect answered with `status`. */
async function simulatedVoice(context: BrowserContext, connect: { status: number; code?: string } = { status: 200 }): Promise<Array<unknown>> {
  const posted: unknown[] = [];
  await context.route('**/api/voice/token', (route) => route.fulfill({ json: { mode: 'simulated' } }));
  await context.route('**/api/voice/simulated-connect', (route) => {
    posted.push(route.request().postDataJSON());
    return route.fulfill({ status: connect.status, json: connect.code ? { error: { code: connect.code, message: 'test' } } : {} });
  });
  return posted;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const announced = (page: Page, text: string) => page.locator('[aria-live="assertive"]', { hasText: text }).waitFor({ state: 'attached' });
const callPanel = (page: Page) => page.getByRole('region', { name: /^Phone call/ });
const offerCard = (page: Page, ticket: string) => page.locator(`article.offer[data-ticket="${ticket}"]`);
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('Browser: calls in the operator console (frames from the test)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let relay: Relay;

  before(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    context = await axeContext(browser);
    context.setDefaultTimeout(10_000);
    relay = await relayThroughTest(context);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  /** A call offered, accepted and assigned; resolves once the console sent its accept. */
  async function offerCall(ticket: string, accept = true): Promise<Assigned> {
    relay.fake.add(ticket);
    const offer: Offer = { type: 'offer', ticket, ...CALL, waited: 5, expiresIn: 30 };
    relay.inject(offer);
    const assigned: Assigned = { type: 'assigned', chat: ticket, ...CALL, waited: 7 };
    if (!accept) return assigned;
    await offerCard(page, ticket).getByRole('button', { name: 'Accept' }).click();
    await until(() => relay.sent.some((m) => m.type === 'accept' && m.ticket === ticket), 'the accept');
    relay.inject(assigned);
    return assigned;
  }

  it('[BC1] offers a phone call in words, accepts it without a key, and runs the call to its wrap-up', async () => {
    const posted = await simulatedVoice(context);
    await signInOperator(page, server, OPERATOR_1712.id);
    relay.fake.add('call-bc1');
    relay.inject({ type: 'offer', ticket: 'call-bc1', ...CALL, waited: 5, expiresIn: 30 });
    const card = offerCard(page, 'call-bc1');
    await card.getByRole('heading', { name: 'Phone call waiting: 1712' }).waitFor();
    expect(await card.locator('dd.channel').textContent()).to.equal('Phone call');
    await announced(page, 'New phone call offer: 1712');

    await card.getByRole('button', { name: 'Accept' }).click();
    await until(() => relay.sent.some((m) => m.type === 'accept'), 'the accept');
    // A call has no end-to-end keys: no key, no proof.
    expect(relay.sent.find((m) => m.type === 'accept')).to.deep.equal({ type: 'accept', ticket: 'call-bc1' });
    relay.inject({ type: 'assigned', chat: 'call-bc1', ...CALL, waited: 7 });

    const panel = callPanel(page);
    await panel.getByText('Connected (simulated)').waitFor();
    expect(posted).to.deep.equal([{ ticket: 'call-bc1' }]);
    await panel.getByText('no audio is carried').waitFor();
    await announced(page, 'Connected (simulated)');
    // Accepted from the offer: focus goes on to the call's Hang up.
    expect(await focusedText(page)).to.equal('Hang up');
    expect(await panel.getByRole('heading').textContent()).to.match(/^1712 · \S+ · Violence$/);
    await page.getByText('(1 of 3)').waitFor();

    // The time in the call ticks (no fixed sleep: wait for the text to change).
    await panel.locator('.call-time', { hasText: /^00:0[1-9]$/ }).waitFor();
    expect(await panel.locator('.call-time').getAttribute('aria-live')).to.equal(null);

    const mute = panel.getByRole('button', { name: 'Mute' });
    expect(await mute.getAttribute('aria-pressed')).to.equal('false');
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).to.equal('true');
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).to.equal('false');
    await expectNoViolations(page, 'the console with a call connected');
    await page.setViewportSize(PHONE);
    await expectNoViolations(page, 'the console with a call connected, at phone width');
    await page.setViewportSize(DESKTOP);

    await panel.getByRole('button', { name: 'Hang up' }).click();
    await panel.getByText('You hung up.').waitFor();
    expect(await panel.getByRole('button', { name: 'Hang up' }).count()).to.equal(0);
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.labels?.[0]?.textContent)).to.equal('Wrap-up category');
    await expectNoViolations(page, 'the console with a call to wrap up');

    // Like a chat's "End chat": no category, no end.
    await panel.getByRole('button', { name: 'Close the call' }).click();
    await panel.getByText('Choose a wrap-up category before closing the call.').waitFor();
    expect(relay.sent.some((m) => m.type === 'end')).to.equal(false);
    await panel.getByLabel('Wrap-up category').selectOption('information');
    await panel.getByRole('button', { name: 'Close the call' }).click();
    await until(() => relay.sent.some((m) => m.type === 'end'), 'the end');
    expect(relay.sent.find((m) => m.type === 'end')).to.deep.equal({ type: 'end', chat: 'call-bc1', wrapUp: 'information' });
    relay.inject({ type: 'ended', chat: 'call-bc1', by: 'operator' });
    await page.getByText('You have no open chats.').waitFor();
    expect(await callPanel(page).count()).to.equal(0);
    expect(await focusedText(page)).to.match(/^Your chats/);
  });

  it('[BC2] says the caller hung up, or that the call was lost, and keeps the wrap-up', async () => {
    await simulatedVoice(context);
    await signInOperator(page, server, OPERATOR_1712.id);
    await offerCall('call-bc2');
    const panel = callPanel(page);
    await panel.getByText('Connected (simulated)').waitFor();

    relay.inject({ type: 'ended', chat: 'call-bc2', by: 'visitor' });
    await panel.getByText('The caller hung up.').waitFor();
    await announced(page, 'The caller hung up.');
    expect(await panel.getByRole('button', { name: 'Hang up' }).count()).to.equal(0);
    await panel.getByLabel('Wrap-up category').waitFor();
    const frozen = await panel.locator('.call-time').textContent();
    await panel.getByRole('button', { name: 'Close the call' }).waitFor();

    await offerCall('call-bc2-lost');
    await page.locator('[data-chat="call-bc2-lost"]', { hasText: 'Connected (simulated)' }).waitFor();
    relay.inject({ type: 'ended', chat: 'call-bc2-lost', by: 'system' });
    await page.locator('[data-chat="call-bc2-lost"]', { hasText: 'The call was lost.' }).waitFor();
    // The first call's clock stopped when the caller hung up.
    expect(await page.locator('[data-chat="call-bc2"] .call-time').textContent()).to.equal(frozen);
  });

  it('[BC3] says the caller hung up before the operator answered when a call offer is withdrawn as left', async () => {
    await simulatedVoice(context);
    await signInOperator(page, server, OPERATOR_1712.id);
    await offerCall('call-bc3', false);
    await offerCard(page, 'call-bc3').waitFor();
    relay.inject({ type: 'offer-withdrawn', ticket: 'call-bc3', reason: 'left' });
    await announced(page, 'The caller hung up before you answered.');
    expect(await offerCard(page, 'call-bc3').count()).to.equal(0);

    // A chat's offer keeps its own words, and says "Chat".
    relay.fake.add('chat-bc3');
    relay.inject({ type: 'offer', ticket: 'chat-bc3', channel: 'chat', line: '1712', language: 'nl', topic: 'violence', waited: 0, expiresIn: 30 });
    await offerCard(page, 'chat-bc3').getByRole('heading', { name: 'Chat waiting: 1712' }).waitFor();
    expect(await offerCard(page, 'chat-bc3').locator('dd.channel').textContent()).to.equal('Chat');
    relay.inject({ type: 'offer-withdrawn', ticket: 'chat-bc3', reason: 'left' });
    await announced(page, 'The visitor left before the chat started.');
  });

  it('[BC4] shows why a simulated connect was refused and goes on to the wrap-up', async () => {
    await simulatedVoice(context, { status: 409, code: 'ERR_NOT_IN_CHAT' });
    await signInOperator(page, server, OPERATOR_1712.id);
    await offerCall('call-bc4');
    const panel = callPanel(page);
    await panel.getByText('This chat is not assigned to you.').waitFor();
    await panel.getByText('The call failed.').waitFor();
    await panel.getByLabel('Wrap-up category').waitFor();
    expect(await panel.getByRole('button', { name: 'Hang up' }).count()).to.equal(0);
  });

  it('[BC5] without voice on the server (404), signs in and shows no error at all', async () => {
    // No routes: the test server has voice off and answers ERR_NOT_FOUND.
    const token = page.waitForResponse((r) => r.url().endsWith('/api/voice/token'));
    await signInOperator(page, server, OPERATOR_1712.id);
    expect((await token).status()).to.equal(404);
    expect(await page.locator('.desk-error').textContent()).to.equal('');
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).count()).to.equal(0);
  });
});

/** Twilio's signalling socket, played by the test: it answers `listen` and rings every invite. */
interface FakeTwilio {
  messages: Array<{ type: string; payload: Record<string, unknown> }>;
  send(type: string, payload: Record<string, unknown>): void;
}

async function fakeTwilio(context: BrowserContext): Promise<FakeTwilio> {
  let socket: WebSocketRoute | null = null;
  let listens = 0;
  const fake: FakeTwilio = {
    messages: [],
    send: (type, payload) => socket?.send(JSON.stringify({ type, version: '1.6', payload })),
  };
  // Nothing reaches Twilio: its sounds and insights are refused here (and by the CSP).
  await context.route(/twilio\.com/, (route) => route.abort());
  await context.routeWebSocket(/twilio\.com/, (ws) => {
    socket = ws;
    ws.onMessage((raw) => {
      const message = JSON.parse(String(raw)) as FakeTwilio['messages'][number];
      fake.messages.push(message);
      // A first token that "expires" in 12 s: the SDK warns 10 s before, so the console
      // fetches a new one after 2 s. Later tokens last.
      if (message.type === 'listen') fake.send('connected', { region: 'gll', home: 'gll', token: { identity: 'op-1712', ttl: (listens += 1) === 1 ? 12 : 3600 } });
      if (message.type === 'invite') fake.send('ringing', { callsid: message.payload.callsid });
    });
  });
  return fake;
}

describe('Browser: calls through the Twilio Voice SDK (a fake signalling socket)', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    // A fake microphone, allowed without asking: the SDK takes one before it invites.
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[BC6] connects out with the ticket (never registers), refreshes its token, and hangs up on Hang up and when the caller hangs up', async function () {
    this.timeout(30_000);
    const context = await browser.newContext({ permissions: ['microphone'] });
    context.setDefaultTimeout(10_000);
    try {
      const twilio = await fakeTwilio(context);
      const relay = await relayThroughTest(context);
      let tokens = 0;
      await context.route('**/api/voice/token', (route) => {
        tokens += 1;
        return route.fulfill({ json: { mode: 'twilio', token: `token-${tokens}`, identity: 'op-1712', expiresIn: 3600 } });
      });
      const page = await context.newPage();
      await signInOperator(page, server, OPERATOR_1712.id);
      const place = async (ticket: string) => {
        relay.fake.add(ticket);
        relay.inject({ type: 'offer', ticket, ...CALL, waited: 1, expiresIn: 30 });
        await offerCard(page, ticket).getByRole('button', { name: 'Accept' }).click();
        await until(() => relay.sent.some((m) => m.type === 'accept' && m.ticket === ticket), 'the accept');
        relay.inject({ type: 'assigned', chat: ticket, ...CALL, waited: 1 });
        await page.locator(`[data-chat="${ticket}"]`, { hasText: 'Ringing…' }).waitFor();
        const invite = twilio.messages.filter((m) => m.type === 'invite').at(-1)!;
        expect(invite.payload.twilio).to.deep.equal({ params: `ticket=${ticket}` });
        return invite.payload.callsid;
      };

      const first = await place('call-bc6');
      const hungUp = (callsid: unknown) => twilio.messages.some((m) => m.type === 'hangup' && m.payload.callsid === callsid);
      await page.getByRole('button', { name: 'Hang up' }).click();
      await until(() => hungUp(first), 'the hangup to Twilio');
      await page.locator('[data-chat="call-bc6"]', { hasText: 'You hung up.' }).waitFor();

      // The caller hangs up: the console's own leg must go too, not wait on hold music.
      const second = await place('call-bc6-b');
      relay.inject({ type: 'ended', chat: 'call-bc6-b', by: 'visitor' });
      await until(() => hungUp(second), 'the hangup after the caller left');
      await page.locator('[data-chat="call-bc6-b"]', { hasText: 'The caller hung up.' }).waitFor();

      // tokenWillExpire: a new token from the server, handed to the device (a new listen).
      await until(() => twilio.messages.some((m) => m.type === 'listen' && m.payload.token === 'token-2'), 'the refreshed token', 8_000);
      expect(tokens).to.be.at.least(2);
      expect(twilio.messages.some((m) => m.type === 'register')).to.equal(false);
    } finally {
      await context.close();
    }
  });
});

/** The server's voice: test/support/voice-calls.ts places a call through the signed Twilio webhooks. */
describe('Browser: a call placed through the server, answered in the console (simulated voice)', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish(), voice: testVoice() } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[BC10] offers the call as "Phone call", connects it (simulated), ticks, mutes, hangs up and wraps up', async function () {
    this.timeout(40_000);
    const context = await axeContext(browser);
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await signInOperator(page, server, OPERATOR_1712.id);
      await placeCall(server, { line: '1712', language: 'nl', topic: 'violence' });
      const card = page.locator('article.offer[data-channel="call"]');
      await card.locator('dd.channel', { hasText: 'Phone call' }).waitFor();
      await card.getByRole('button', { name: 'Accept' }).click();

      const panel = callPanel(page);
      await panel.getByText('Connected (simulated)').waitFor();
      expect(await focusedText(page)).to.equal('Hang up');
      await panel.locator('.call-time', { hasText: /^00:0[1-9]$/ }).waitFor();
      const mute = panel.getByRole('button', { name: 'Mute' });
      await mute.click();
      expect(await mute.getAttribute('aria-pressed')).to.equal('true');
      await expectNoViolations(page, 'the console with a call connected');

      await panel.getByRole('button', { name: 'Hang up' }).click();
      await panel.getByLabel('Wrap-up category').selectOption('information');
      await panel.getByRole('button', { name: 'Close the call' }).click();
      await page.getByText('You have no open chats.').waitFor();
      const ends = server.frames.filter((f) => f.direction === 'in' && f.kind === 'operator' && f.frame.includes('"type":"end"'));
      expect(ends).to.have.length(1);
      expect(JSON.parse(ends[0]!.frame)).to.include({ type: 'end', wrapUp: 'information' });
      // A call's accept carries neither a key nor a proof.
      const accept = server.frames.find((f) => f.direction === 'in' && f.frame.includes('"type":"accept"'));
      expect(JSON.parse(accept!.frame)).to.not.have.any.keys('key', 'proof');
    } finally {
      await context.close();
    }
  });

  it('[BC11] says when the caller hangs up before the operator answers, and during the call', async () => {
    const context = await axeContext(browser);
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await signInOperator(page, server, OPERATOR_1712.id);
      const early = await placeCall(server, { line: '1712', language: 'nl', topic: 'violence' });
      await page.locator('article.offer[data-channel="call"]').waitFor();
      await early.hangUpWaiting();
      await announced(page, 'The caller hung up before you answered.');
      expect(await page.locator('article.offer').count()).to.equal(0);

      const call = await placeCall(server, { line: '1712', language: 'nl', topic: 'violence' });
      await page.locator('article.offer[data-channel="call"]').getByRole('button', { name: 'Accept' }).click();
      const panel = callPanel(page);
      await panel.getByText('Connected (simulated)').waitFor();
      await call.leaveQueue('bridged');
      await call.completed();
      await panel.getByText('The caller hung up.').waitFor();
      await panel.getByLabel('Wrap-up category').selectOption('silent');
      await panel.getByRole('button', { name: 'Close the call' }).click();
      await page.getByText('You have no open chats.').waitFor();
    } finally {
      await context.close();
    }
  });
});
