import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Page, WebSocketRoute } from 'playwright-core';
import type { OperatorToServer, ServerToOperator, WaitingQueue } from '../../protocol/operator-messages.js';
import { startTestServer, type TestOperator, type TestServer } from '../support/test-server.js';
import { DESKTOP, expectNoViolations, PHONE } from './axe.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, signInOperator, startChat } from './browser.js';

/**
 * What draws an operator to a new offer over a long shift (the tab's count, a chime, a
 * desktop notification, the countdown's last seconds), what the console says when the
 * server set them away for missed offers, and the queue counts that stay on show at
 * capacity. Offers are real (a visitor starts a chat in the widget); `waiting` and the
 * missed-offers `status` are injected by a relay between console and server, which holds
 * back the server's own `waiting` frames so that every count on screen is the test's.
 */

const SOUND_KEY = 'quietline.console.sound';

interface Attention {
  oscillators: number;
  notifications: Array<{ title: string; body: string; tag: string }>;
  closed: string[];
  visible: boolean;
}

/**
 * Before any page script: count the oscillators started (two per chime) and, when asked,
 * hide the page and record every notification made or closed. Nothing of this is in the
 * console itself.
 */
function observeAttention(options: { hidden: boolean }): void {
  const attention: Attention = { oscillators: 0, notifications: [], closed: [], visible: !options.hidden };
  (window as unknown as { __attention: Attention }).__attention = attention;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
    attention.oscillators += 1;
    return start.apply(this, args);
  };
  if (!options.hidden) return;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (attention.visible ? 'visible' : 'hidden') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => !attention.visible });
  const Real = window.Notification;
  class Recorded extends Real {
    static override get permission(): NotificationPermission {
      return Real.permission;
    }
    static override requestPermission = (): Promise<NotificationPermission> => Real.requestPermission();
    constructor(title: string, init?: NotificationOptions) {
      attention.notifications.push({ title, body: init?.body ?? '', tag: init?.tag ?? '' });
      super(title, init);
    }
    override close(): void {
      attention.closed.push(this.tag);
      super.close();
    }
  }
  window.Notification = Recorded;
}

const attention = (page: Page) => page.evaluate(() => (window as unknown as { __attention: Attention }).__attention);

interface Relay {
  inject(message: ServerToOperator): void;
  /** What the console sent, over every connection. */
  sent: OperatorToServer[];
  welcomes: number;
  /** Drops the console's connection (both ends), as a network blip would. */
  drop(): void;
}

async function relay(context: BrowserContext): Promise<Relay> {
  let current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  const state: Relay = {
    sent: [],
    welcomes: 0,
    inject: (message) => {
      if (!current) throw new Error('the console has no socket yet');
      current.page.send(JSON.stringify(message));
    },
    drop: () => {
      if (!current) throw new Error('the console has no socket yet');
      void current.server.close();
      void current.page.close({ code: 1012, reason: 'test' });
    },
  };
  await context.routeWebSocket(/\/ws\/operator/, (ws) => {
    const upstream = ws.connectToServer();
    current = { page: ws, server: upstream };
    ws.onMessage((raw) => {
      state.sent.push(JSON.parse(String(raw)) as OperatorToServer);
      upstream.send(raw);
    });
    upstream.onMessage((raw) => {
      const message = JSON.parse(String(raw)) as ServerToOperator;
      if (message.type === 'waiting') return;
      if (message.type === 'welcome') state.welcomes += 1;
      ws.send(raw);
    });
  });
  return state;
}

function queue(overrides: Partial<WaitingQueue> = {}): WaitingQueue {
  return { line: '1712', language: 'nl', topic: 'violence', channel: 'chat', waiting: 0, longestWaitSeconds: 0, ...overrides };
}

describe('Browser: offers that are noticed, and queue counts even at capacity', () => {
  let browser: Browser;
  let server: TestServer | null = null;
  const contexts: BrowserContext[] = [];

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await server?.close();
    server = null;
  });

  async function serve(options: { offerTimeoutMs?: number; operator?: Partial<TestOperator> } = {}): Promise<TestServer> {
    server = await startTestServer({
      operators: [{ ...OPERATOR_1712, ...options.operator }],
      config: { lines: await linesWithEnglish(), ...(options.offerTimeoutMs ? { offerTimeoutMs: options.offerTimeoutMs } : {}) },
    });
    return server;
  }

  async function newContext(viewport = DESKTOP): Promise<BrowserContext> {
    // bypassCSP only so axe can be injected; the console's own scripts need none of it.
    const context = await browser.newContext({ bypassCSP: true, viewport, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    // tsx names the functions it compiles with esbuild's __name(), which a page lacks: the
    // functions this file hands to addInitScript and evaluate() would throw without it.
    await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    contexts.push(context);
    return context;
  }

  /** A visitor who starts a chat on 1712 in English: one real offer. */
  async function visitor(s: TestServer): Promise<FrameLocator> {
    const widget = await openWidget(await (await newContext()).newPage(), s);
    await startChat(widget);
    return widget;
  }

  /** The visitor leaves the queue (a closed tab would keep the ticket through the grace). */
  async function leave(widget: FrameLocator): Promise<void> {
    await widget.getByRole('button', { name: 'Leave the queue' }).click();
  }

  const cards = (page: Page) => page.locator('article.offer');
  const soundToggle = (page: Page) => page.getByRole('button', { name: 'Offer sound' });

  it('[ON1] a new offer marks the tab title with a count, in the interface language, and the plain title is back once it is accepted', async () => {
    const s = await serve();
    const page = await (await newContext()).newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    expect(await page.title()).to.equal('Quietline console');

    await visitor(s);
    await cards(page).waitFor();
    await page.waitForFunction(() => document.title === '(1) Quietline console');
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.waitForFunction(() => document.title === '(1) Quietline-console');

    await page.getByRole('button', { name: 'Aannemen' }).click();
    await page.getByRole('region', { name: /1712/ }).getByRole('textbox').waitFor();
    await page.waitForFunction(() => document.title === 'Quietline-console');
  });

  it('[ON2] a chime plays on a new offer and not once turned off, and the choice survives a reload (nothing else is stored)', async () => {
    const s = await serve();
    const context = await newContext();
    await context.addInitScript(observeAttention, { hidden: false });
    const page = await context.newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    expect(await soundToggle(page).getAttribute('aria-pressed')).to.equal('true');

    // Signing in was a click: the browser lets the page play from then on. Two notes.
    const first = await visitor(s);
    await cards(page).waitFor();
    await page.waitForFunction(() => (window as unknown as { __attention: Attention }).__attention.oscillators === 2);

    await soundToggle(page).click();
    expect(await soundToggle(page).getAttribute('aria-pressed')).to.equal('false');
    await leave(first);
    await cards(page).waitFor({ state: 'detached' });
    const second = await visitor(s);
    await cards(page).waitFor();
    expect((await attention(page)).oscillators).to.equal(2);
    await leave(second);
    await cards(page).waitFor({ state: 'detached' });

    await page.reload();
    await page.locator('button[aria-pressed]:enabled', { hasText: 'Available' }).waitFor();
    expect(await soundToggle(page).getAttribute('aria-pressed')).to.equal('false');
    expect(await page.evaluate(() => Object.entries(localStorage))).to.deep.equal([[SOUND_KEY, 'off']]);
    await page.getByRole('button', { name: 'Available' }).click();
    await page.locator('button[aria-pressed="true"]', { hasText: 'Available' }).waitFor();
    const third = await visitor(s);
    await cards(page).waitFor();
    expect((await attention(page)).oscillators).to.equal(0);

    // On again: the clicks since the reload let it play.
    await soundToggle(page).click();
    expect(await page.evaluate((key) => localStorage.getItem(key), SOUND_KEY)).to.equal('on');
    await leave(third);
    await cards(page).waitFor({ state: 'detached' });
    await visitor(s);
    await cards(page).waitFor();
    await page.waitForFunction(() => (window as unknown as { __attention: Attention }).__attention.oscillators === 2);
  });

  it('[ON3] a desktop notification, while the page is hidden and allowed, names the line and language only, and closes when the offer is taken', async () => {
    const s = await serve();
    const context = await newContext();
    await context.grantPermissions(['notifications'], { origin: s.url });
    await context.addInitScript(observeAttention, { hidden: true });
    const page = await context.newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    // Already allowed: no button to ask, just the state in words.
    await page.getByText('Desktop notifications are on: one for each offer while this tab is hidden.').waitFor();
    expect(await page.getByRole('button', { name: 'Allow desktop notifications' }).count()).to.equal(0);

    await visitor(s);
    await cards(page).waitFor();
    const ticket = await cards(page).getAttribute('data-ticket');
    expect(ticket).to.be.a('string');
    await page.waitForFunction(() => (window as unknown as { __attention: Attention }).__attention.notifications.length === 1);
    const [shown] = (await attention(page)).notifications;
    expect(shown).to.deep.equal({ title: 'New chat offer', body: '1712 · English', tag: `quietline-offer-${ticket}` });
    // Line and language only: not the topic, not the ticket.
    for (const text of [shown!.title, shown!.body]) {
      expect(text).to.not.include(ticket!);
      expect(text.toLowerCase()).to.not.include('violence');
    }

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('region', { name: /1712/ }).getByRole('textbox').waitFor();
    expect((await attention(page)).closed).to.include(`quietline-offer-${ticket}`);
  });

  it('[ON4] asked for notifications and refused, the console says so plainly', async () => {
    const s = await serve();
    const page = await (await newContext()).newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    const allow = page.getByRole('button', { name: 'Allow desktop notifications' });
    await allow.waitFor();
    // Never asked yet ('default'); headless Chromium turns the request down, as an operator may.
    await allow.click();
    await page.getByRole('status').filter({ hasText: 'Desktop notifications are blocked for this console.' }).waitFor();
    await allow.waitFor({ state: 'hidden' });
  });

  it('[ON5] the countdown shows "Expiring" in the offer\'s last 10 seconds, said once, with Accept and Decline still there', async () => {
    const s = await serve({ offerTimeoutMs: 12_000 });
    const page = await (await newContext()).newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    await page.evaluate(() => {
      const said: string[] = [];
      (window as unknown as { __said: string[] }).__said = said;
      const region = document.querySelector('[aria-live="assertive"]')!;
      new MutationObserver(() => {
        if (region.textContent) said.push(region.textContent);
      }).observe(region, { childList: true, characterData: true, subtree: true });
    });

    await visitor(s);
    const card = cards(page);
    await card.waitFor();
    expect(await card.getAttribute('data-expiring')).to.equal(null);
    expect(await card.getByText('Expiring', { exact: true }).isVisible()).to.equal(false);

    await page.locator('article.offer[data-expiring]').waitFor();
    await card.getByText('Expiring', { exact: true }).waitFor();
    const remaining = card.locator('dd.remaining');
    expect(await remaining.textContent()).to.match(/^Expiring 0:(10|0\d)$/);
    // Not by colour alone: bold words and a dashed edge.
    expect(await remaining.evaluate((el) => getComputedStyle(el).fontWeight)).to.equal('700');
    expect(await card.evaluate((el) => getComputedStyle(el).borderTopStyle)).to.equal('dashed');
    expect(await card.getByRole('button', { name: 'Accept' }).isEnabled()).to.equal(true);
    expect(await card.getByRole('button', { name: 'Decline' }).isEnabled()).to.equal(true);

    // A few ticks later, still said only once.
    await page.waitForFunction(() => /0:0[0-7]$/.test(document.querySelector('article.offer dd.remaining')?.textContent ?? ''));
    const said = await page.evaluate(() => (window as unknown as { __said: string[] }).__said);
    expect(said.filter((text) => text === 'Chat offer about to expire: 1712.')).to.have.length(1);
    expect(said.filter((text) => text.startsWith('New chat offer'))).to.have.length(1);
  });

  it('[ON6] set away for missed offers, the console says why, and after a reconnect it does not make itself available again', async () => {
    const s = await serve();
    const context = await newContext();
    const wire = await relay(context);
    const page = await context.newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    const availableAsked = () => wire.sent.filter((m) => m.type === 'status' && m.status === 'available').length;
    expect(availableAsked()).to.equal(1);

    wire.inject({ type: 'status', status: 'away', reason: 'missed-offers', missed: 3 });
    const notice = page.getByRole('alert').filter({
      hasText: 'You were set to away because 3 offers in a row went unanswered. Set yourself available when you are ready.',
    });
    await notice.waitFor();
    await page.locator('button[aria-pressed="false"]', { hasText: 'Available' }).waitFor();
    await page.getByText('Status: away').waitFor();

    // A blip: the server starts the new connection away, and the console leaves it so.
    wire.drop();
    await waitUntil(() => wire.welcomes === 2);
    wire.inject({ type: 'waiting', queues: [queue({ waiting: 1, longestWaitSeconds: 5 })] });
    await page.getByText('1 waiting, longest 0:05').waitFor();
    expect(availableAsked()).to.equal(1);
    await notice.waitFor();
    expect(await page.locator('button[aria-pressed]', { hasText: 'Available' }).getAttribute('aria-pressed')).to.equal('false');

    // Available by their own hand: the notice goes.
    await page.getByRole('button', { name: 'Available' }).click();
    await page.locator('button[aria-pressed="true"]', { hasText: 'Available' }).waitFor();
    await notice.waitFor({ state: 'detached' });
    expect(availableAsked()).to.equal(2);
  });

  it('[ON7] the queue counts show what waits, the total in the heading, also at capacity, and a first person waiting is said politely once', async () => {
    const s = await serve({ operator: { capacity: 1 } });
    const context = await newContext();
    const wire = await relay(context);
    const page = await context.newPage();
    await signInOperator(page, s, OPERATOR_1712.id);
    const section = page.getByRole('region', { name: /Waiting in your queues/ });
    wire.inject({ type: 'waiting', queues: [queue(), queue({ language: 'en' }), queue({ topic: 'abuse' })] });
    await section.getByText('No one is waiting in your queues.').waitFor();
    await section.getByRole('heading', { name: 'Waiting in your queues (0)' }).waitFor();

    // At capacity (one chat of one): no more offers come, the counts still do.
    await visitor(s);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: /Your chats \(1 of 1\)/ }).waitFor();
    wire.inject({ type: 'waiting', queues: [
      queue({ waiting: 2, longestWaitSeconds: 192 }),
      queue({ channel: 'call', waiting: 1, longestWaitSeconds: 45 }),
      queue({ language: 'en' }),
      queue({ topic: 'abuse' }),
    ] });
    await section.getByRole('heading', { name: 'Waiting in your queues (3)' }).waitFor();
    expect(await section.getByRole('listitem').allInnerTexts()).to.deep.equal([
      '1712 · Dutch · Violence · Chat — 2 waiting, longest 3:12',
      '1712 · Dutch · Violence · Phone call — 1 waiting, longest 0:45',
    ]);
    expect(await section.isVisible()).to.equal(true);
    const polite = section.locator('[role="status"]');
    expect(await polite.textContent()).to.equal('3 people are now waiting in your queues.');

    // A refresh is not said again; a line without calls is not named by channel.
    wire.inject({ type: 'waiting', queues: [queue({ waiting: 4, longestWaitSeconds: 195 }), queue({ language: 'en', waiting: 1, longestWaitSeconds: 3 })] });
    await section.getByRole('heading', { name: 'Waiting in your queues (5)' }).waitFor();
    expect(await section.getByRole('listitem').allInnerTexts()).to.deep.equal([
      '1712 · Dutch · Violence — 4 waiting, longest 3:15',
      '1712 · English · Violence — 1 waiting, longest 0:03',
    ]);
    expect(await polite.textContent()).to.equal('3 people are now waiting in your queues.');

    wire.inject({ type: 'waiting', queues: [queue(), queue({ language: 'en' })] });
    await section.getByText('No one is waiting in your queues.').waitFor();
    expect(await section.getByRole('listitem').count()).to.equal(0);
    expect(await polite.textContent()).to.equal('');
  });

  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`[ON8] has no axe violations with an offer, its last seconds, the queue counts and the missed-offers notice (${size})`, async () => {
      const s = await serve({ offerTimeoutMs: 12_000 });
      const context = await newContext(viewport);
      const wire = await relay(context);
      const page = await context.newPage();
      await signInOperator(page, s, OPERATOR_1712.id);
      wire.inject({ type: 'waiting', queues: [queue({ waiting: 2, longestWaitSeconds: 192 }), queue({ channel: 'call', waiting: 1, longestWaitSeconds: 45 })] });
      await page.getByText('2 waiting, longest 3:12').waitFor();
      await visitor(s);
      await cards(page).waitFor();
      await page.getByRole('button', { name: 'Allow desktop notifications' }).waitFor();
      await expectNoViolations(page, `the desk with an offer and the queue counts (${size})`);

      await page.locator('article.offer[data-expiring]').waitFor();
      wire.inject({ type: 'status', status: 'away', reason: 'missed-offers', missed: 3 });
      await page.getByRole('alert').filter({ hasText: 'You were set to away' }).waitFor();
      await expectNoViolations(page, `the desk with an expiring offer and the missed-offers notice (${size})`);
    });
  }
});

/** Polls a condition of the test's own (the relay's counters), never a fixed sleep. */
async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
