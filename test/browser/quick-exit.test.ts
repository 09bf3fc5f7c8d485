import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { TestOperator } from '../support/chat-parties.js';
import { operatorSocket } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, startChat, stubExitSite } from './browser.js';

const EXIT_URL = 'https://www.google.com/search?q=weather';

describe('Browser: quick exit and the widget leaving no trace (privacy invariant 1)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let operator: TestOperator;

  before(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    await stubExitSite(context);
    page = await context.newPage();
    operator = new TestOperator(await operatorSocket(server, OPERATOR_1712.id));
    await operator.available();
  });
  afterEach(async () => {
    operator.socket.close();
    await operator.socket.closed;
    await context.close();
  });

  /** A visitor in a chat the (protocol-level) operator has accepted. */
  async function chatting(): Promise<{ widget: FrameLocator; chat: string }> {
    const widget = await openWidget(page, server);
    await startChat(widget);
    const chat = await operator.acceptNextOffer();
    await widget.getByRole('heading', { name: /^Chat with/ }).waitFor();
    return { widget, chat };
  }

  async function expectQuickEnd(chat: string): Promise<void> {
    const ended = await operator.socket.next<{ chat: string; by: string }>('ended');
    expect(ended).to.include({ chat, by: 'visitor' });
    expect(server.frames.some((f) => f.direction === 'in' && f.frame === '{"type":"end","quick":true}')).to.equal(true);
  }

  it('[BR4] the Quick exit button ends the chat at the server and replaces the top page', async () => {
    const { widget, chat } = await chatting();
    await widget.getByRole('button', { name: 'Quick exit' }).click();
    await page.waitForURL(EXIT_URL);
    await expectQuickEnd(chat);
    // location.replace: the demo page is not in the history any more.
    await page.goBack();
    expect(page.url()).to.not.include('/demo/');
  });

  it('[BR5] Shift pressed three times on the host page exits too', async () => {
    const { chat } = await chatting();
    await page.getByRole('heading', { name: 'Someone to talk to' }).click(); // focus back on the host page
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
    await page.waitForURL(EXIT_URL);
    await expectQuickEnd(chat);
  });

  it('[BR6] Escape pressed twice inside the widget exits too', async () => {
    const { widget, chat } = await chatting();
    await widget.getByRole('textbox', { name: 'Message' }).focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(EXIT_URL);
    await expectQuickEnd(chat);
  });

  it('[BR7] stores nothing on the device: no cookie, storage, IndexedDB, cache or service worker', async () => {
    const { widget, chat } = await chatting();
    await operator.say(chat, 'BR7 hello');
    await widget.getByText('BR7 hello').waitFor();
    const state = await context.storageState({ indexedDB: true });
    expect(state.cookies).to.deep.equal([]);
    expect(state.origins).to.deep.equal([]);
    expect(context.serviceWorkers()).to.deep.equal([]);
    const inFrame = await widget.locator('body').evaluate(async () => ({
      caches: (await caches.keys()).length,
      databases: (await indexedDB.databases()).length,
      local: localStorage.length,
      session: sessionStorage.length,
      workers: (await navigator.serviceWorker.getRegistrations()).length,
    }));
    expect(inFrame).to.deep.equal({ caches: 0, databases: 0, local: 0, session: 0, workers: 0 });
  });
});
