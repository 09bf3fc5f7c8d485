import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestOperator } from '../support/chat-parties.js';
import { operatorSocket } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, startChat, stubExitSite } from './browser.js';
import { chatting, expectLeftForGood, minimise, sawQuickEnd, waitUntil } from './widget-helpers.js';

/**
 * A minimised chat still exists: someone may walk in while the panel is folded away, so
 * quick exit must work from the host page — keys and a button beside the launcher.
 */
describe('Browser: quick exit while the widget is minimised', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let operator: TestOperator | null = null;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  // A server per test: a chat one test leaves behind must not be the next one's offer.
  beforeEach(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    context = await browser.newContext();
    await stubExitSite(context);
    page = await context.newPage();
  });
  afterEach(async () => {
    operator?.socket.close();
    await operator?.socket.closed;
    operator = null;
    await context?.close();
    await server?.close();
  });

  async function availableOperator(): Promise<TestOperator> {
    operator = new TestOperator(await operatorSocket(server, OPERATOR_1712.id));
    await operator.available();
    return operator;
  }

  /** Chatting, then minimised: the Quick exit button shows beside the launcher. */
  async function minimisedChat(): Promise<string> {
    const { widget, chat } = await chatting(page, server, await availableOperator());
    await minimise(page, widget);
    await page.locator('#quietline-quick-exit').waitFor({ state: 'visible' });
    expect(await page.locator('#quietline-quick-exit').textContent()).to.equal('Quick exit');
    await page.locator('#quietline-launcher').waitFor({ state: 'visible' });
    return chat;
  }

  async function expectQuickEnd(chat: string): Promise<void> {
    const ended = await operator!.socket.next<{ chat: string; by: string; quick?: boolean }>('ended');
    expect(ended).to.include({ chat, by: 'visitor' });
    // The operator protocol has no quick-exit field (protocol/operator-messages.ts): the
    // visitor's `end` must still have told the server to purge at once.
    if ('quick' in ended) expect(ended.quick).to.equal(true);
    expect(sawQuickEnd(server), 'the visitor sent {"type":"end","quick":true}').to.equal(true);
  }

  it('[BR20] Shift pressed three times on the host page while minimised ends the chat and replaces the top page', async () => {
    const chat = await minimisedChat();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
    await expectQuickEnd(chat);
    await expectLeftForGood(page);
  });

  it('[BR21] Escape pressed twice on the host page while minimised ends the chat and replaces the top page', async () => {
    const chat = await minimisedChat();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expectQuickEnd(chat);
    await expectLeftForGood(page);
  });

  it('[BR22] the Quick exit button beside the launcher ends the minimised chat and replaces the top page', async () => {
    const chat = await minimisedChat();
    await page.locator('#quietline-quick-exit').click();
    await expectQuickEnd(chat);
    await expectLeftForGood(page);
  });

  it('[BR23] Escape pressed twice while minimised in the queue (before anyone accepted) leaves and tells the server', async () => {
    const widget = await openWidget(page, server);
    await startChat(widget);
    await minimise(page, widget);
    await page.locator('#quietline-quick-exit').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expectLeftForGood(page);
    await waitUntil(() => sawQuickEnd(server), 'the queued visitor’s quick end to reach the server');
  });

  it('[BR24] with no chat started, Escape pressed twice on the host page while minimised does not navigate', async () => {
    const widget = await openWidget(page, server);
    await widget.getByRole('button', { name: 'Start chat' }).waitFor();
    await minimise(page, widget);
    expect(await page.locator('#quietline-quick-exit').isVisible()).to.equal(false);
    const before = page.url();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // The loader hides its controls synchronously as a quick exit starts: they are still
    // there, and reopening shows the same start view (not a wiped page).
    expect(await page.locator('#quietline-launcher').isVisible()).to.equal(true);
    await page.locator('#quietline-launcher').click();
    await widget.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(page.url()).to.equal(before);
    expect(server.frames.filter((f) => f.kind === 'visitor')).to.deep.equal([]);
  });
});
