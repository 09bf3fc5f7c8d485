import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, startChat } from './browser.js';

/**
 * The truth about the wait: when nobody who could answer is on duty, the widget says so
 * before and after "Start chat", with the line's number and 112 — and a refusal is never
 * a dead end either.
 */
describe('Browser: an honest wait, and a refusal with numbers', () => {
  let browser: Browser;
  let server: TestServer | null = null;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    // A missing element fails with its own name, within the test's time.
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    await server?.close();
    server = null;
  });

  /** The line's own number and the emergency number, each a tel: link. */
  async function expectNumbers(where: FrameLocator | Locator): Promise<void> {
    expect(await where.getByRole('link', { name: 'Call 1712' }).first().getAttribute('href')).to.equal('tel:1712');
    expect(await where.getByRole('link', { name: 'Call 112' }).first().getAttribute('href')).to.equal('tel:112');
  }

  it('[BR28] with nobody on duty, the start view already says nobody is available right now', async () => {
    // Sam has an account but is not signed in: nobody can answer 1712.
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    const widget = await openWidget(page, server);
    await widget.getByRole('button', { name: 'Start chat' }).waitFor();
    const nobody = widget.locator('.nobody-now');
    await nobody.waitFor();
    expect(await nobody.innerText()).to.match(/nobody is available/i);
    await expectNumbers(widget);
  });

  it('[BR29] with nobody on duty, the queue says "Nobody can answer right now" with the numbers, and "Keep waiting" hides it while the place stays', async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    const widget = await openWidget(page, server);
    await startChat(widget);
    const notice = widget.locator('.wait-alert');
    await notice.getByText('Nobody can answer right now').waitFor();
    expect(await notice.innerText()).to.include('English');
    await expectNumbers(notice);

    await notice.getByRole('button', { name: 'Keep waiting' }).click();
    await notice.waitFor({ state: 'hidden' });
    await widget.getByText('You are number 1 in the queue.').waitFor();
    expect(await widget.locator('html').getAttribute('data-view')).to.equal('waiting');
  });

  it('[BR30] a chat refused with ERR_TOO_MANY_CHATS shows why, the line’s number and 112', async () => {
    // No chat may be open from this address: the very first request is refused.
    server = await startTestServer({
      operators: [OPERATOR_1712],
      config: { lines: await linesWithEnglish() },
      limits: { openChatsPerAddress: 0 },
    });
    const widget = await openWidget(page, server);
    await widget.getByRole('radio', { name: 'Violence' }).check();
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await widget.locator('html[data-view="refused"]').waitFor({ state: 'attached' });
    const refused = widget.locator('.view.refused');
    expect(await refused.getAttribute('data-code')).to.equal('ERR_TOO_MANY_CHATS');
    await refused.getByText('Many chats are being started from your network right now.', { exact: false }).waitFor();
    await expectNumbers(refused);
    expect(server.frames.some((f) => f.direction === 'out' && f.frame.includes('ERR_TOO_MANY_CHATS'))).to.equal(true);
  });
});
