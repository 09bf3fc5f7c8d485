import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { TestOperator } from '../support/chat-parties.js';
import { operatorSocket } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, startChat, stubExitSite } from './browser.js';

/** Where quick exit sends the top page (config/lines.json's exitUrl, stubbed by stubExitSite). */
export const EXIT_URL = 'https://www.google.com/search?q=weather';

/** A visitor in a chat the (protocol-level) operator has accepted. */
export async function chatting(page: Page, server: TestServer, operator: TestOperator, lang = 'en'): Promise<{ widget: FrameLocator; chat: string }> {
  const widget = await openWidget(page, server, '1712', lang);
  await startChat(widget);
  const chat = await operator.acceptNextOffer();
  await widget.locator('html[data-view="chat"]').waitFor({ state: 'attached' });
  return { widget, chat };
}

/** The widget's own Minimise button: the iframe goes, the launcher (and maybe Quick exit) stay. */
export async function minimise(page: Page, widget: FrameLocator): Promise<void> {
  await widget.getByRole('button', { name: 'Minimise' }).click();
  await page.locator('#quietline-frame').waitFor({ state: 'hidden' });
}

/** The visitor's end arrived at the server as a quick exit (purge at once). */
export function sawQuickEnd(server: TestServer): boolean {
  return server.frames.some((f) => f.direction === 'in' && f.kind === 'visitor' && /"type":"end"/.test(f.frame) && /"quick":true/.test(f.frame));
}

/** The top page went to the exit site with location.replace: Back does not return to the demo. */
export async function expectLeftForGood(page: Page): Promise<void> {
  await page.waitForURL(EXIT_URL);
  await page.goBack();
  expect(page.url()).to.not.include('/demo/');
}

/**
 * Privacy invariant 1, as privacy.test.ts checks it: no cookie, localStorage,
 * sessionStorage, IndexedDB database, Cache Storage entry or service worker, for the
 * context as a whole and inside every frame of `page`.
 */
export async function expectNothingStored(context: BrowserContext, page: Page, when: string): Promise<void> {
  const state = await context.storageState({ indexedDB: true });
  expect(state.cookies, `cookies ${when}`).to.deep.equal([]);
  expect(state.origins, `localStorage/IndexedDB per origin ${when}`).to.deep.equal([]);
  expect(context.serviceWorkers(), `service workers ${when}`).to.deep.equal([]);
  for (const frame of page.frames()) {
    // As text: the runner's transpiler would wrap a named helper in code the page lacks.
    // An API the browser refuses to this document (an opaque origin, a third-party frame)
    // cannot hold anything either: it counts as empty.
    const stored = (await frame.evaluate(`(async () => {
      const count = async (read) => { try { return await read(); } catch { return 0; } };
      return {
        origin: location.origin,
        cookies: await count(() => document.cookie) || '',
        caches: await count(async () => (await caches.keys()).length),
        databases: await count(async () => (await indexedDB.databases()).length),
        local: await count(() => localStorage.length),
        session: await count(() => sessionStorage.length),
        workers: await count(async () => (await navigator.serviceWorker.getRegistrations()).length),
      };
    })()`)) as { origin: string; cookies: string; caches: number; databases: number; local: number; session: number; workers: number };
    expect(stored, `${stored.origin} ${when}`).to.deep.include({ cookies: '', caches: 0, databases: 0, local: 0, session: 0, workers: 0 });
  }
}

/** Polls a condition on the test's side (no fixed sleep): resolves as soon as it holds. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface ChatFixture {
  server: TestServer;
  context: BrowserContext;
  page: Page;
  /** Signed in for 1712 and available. */
  operator: TestOperator;
}

/**
 * Mocha hooks for a suite whose every test gets its own server (a chat one test leaves
 * behind must not be the next one's offer), a fresh context with the exit site stubbed, a
 * page and an available operator for 1712. Read the fields inside a test.
 */
export function useChatFixture(): ChatFixture {
  let browser: Browser;
  const f = {} as ChatFixture;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    f.server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    f.context = await browser.newContext();
    // Shorter than mocha's: a missing element fails with its own name, not a bare timeout.
    f.context.setDefaultTimeout(10_000);
    await stubExitSite(f.context);
    f.page = await f.context.newPage();
    f.operator = new TestOperator(await operatorSocket(f.server, OPERATOR_1712.id));
    await f.operator.available();
  });
  afterEach(async () => {
    f.operator?.socket.close();
    await f.operator?.socket.closed;
    await f.context?.close();
    await f.server?.close();
  });
  return f;
}
