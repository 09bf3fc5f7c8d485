import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, signInOperator } from './browser.js';

/**
 * What the console keeps over a shift. The console is the same all day, so what a view leaves
 * behind when it goes (a dialog closed, a chat wrapped up, a table row redrawn) must be
 * collected. Counted the way a heap snapshot counts: Chromium's own `queryObjects` (which
 * collects garbage first) over every Text node in the page.
 */
describe('Browser: the console over a long shift', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    server = await startTestServer({
      operators: [{ id: 'op-admin', name: 'Ada', role: 'admin', lines: ['1712'], languages: ['nl', 'en'], topics: ['violence'] }],
      config: { lines: await linesWithEnglish() },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  /** Text nodes alive in the page after a full garbage collection. */
  async function textNodes(page: Page): Promise<number> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { result: prototype } = await cdp.send('Runtime.evaluate', { expression: 'Text.prototype' });
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId! });
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId!, functionDeclaration: 'function () { return this.length; }', returnByValue: true });
    await cdp.detach();
    return result.value as number;
  }

  it('lets go of the translated text of every dialog it closed, however many it opened', async () => {
    context = await browser.newContext({ locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signInOperator(page, server, 'op-admin');
    const accounts = page.getByRole('region', { name: 'Operator accounts' });
    const add = accounts.getByRole('button', { name: 'Add an operator' });
    const openAndClose = async () => {
      await add.click();
      await page.getByRole('dialog').getByRole('heading', { name: 'Add an operator' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    };
    await openAndClose();
    const before = await textNodes(page);
    for (let i = 0; i < 25; i++) await openAndClose();
    const after = await textNodes(page);
    // Each form holds some sixty translated texts; kept forms would add some 1,500.
    expect(after - before, `Text nodes: ${before} → ${after}`).to.be.below(60);
    // And what is still shown still follows a switch of language.
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.getByRole('region', { name: 'Accounts van medewerkers' }).getByRole('button', { name: 'Medewerker toevoegen' }).waitFor();
  });
});
