import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget } from './browser.js';

describe('Browser: a closed line', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ clock: 'manual', config: { ignoreHours: false, lines: await linesWithEnglish() } });
    // The manual clock starts on a Monday at 11:00 in Brussels; 1712's chat closes at 22:00.
    server.manualClock!.advance(12 * 60 * 60 * 1000);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[BR8] shows the opening hours, the phone number and 112, and opens no socket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const widget = await openWidget(page, server);
    await widget.getByRole('heading', { name: 'The chat is closed right now' }).waitFor();
    await widget.getByText('Monday – Friday').waitFor();
    await widget.getByText('09:00 – 22:00').waitFor();
    await widget.getByRole('link', { name: 'Call 1712' }).waitFor();
    await widget.getByRole('link', { name: 'Call 112' }).waitFor();
    expect(await widget.getByRole('button', { name: 'Start chat' }).count()).to.equal(0);
    await widget.getByRole('button', { name: 'Quick exit' }).waitFor();
    expect(server.frames).to.deep.equal([]);
    await context.close();
  });
});
