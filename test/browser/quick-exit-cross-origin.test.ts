import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { TestOperator } from '../support/chat-parties.js';
import { operatorSocket } from '../support/socket-client.js';
import type { TestServer } from '../support/test-server.js';
import { crossOriginSetup, launchChromium, OPERATOR_1712, startChat, stubExitSite, type CrossOriginSetup } from './browser.js';

const EXIT_URL = 'https://www.google.com/search?q=weather';

describe('Browser: quick exit from a widget embedded on another origin, as in production', () => {
  let setup: CrossOriginSetup;
  let quietline: TestServer;
  let host: CrossOriginSetup['host'];
  let browser: Browser;

  before(async () => {
    setup = await crossOriginSetup();
    ({ quietline, host } = setup);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await setup?.close();
  });

  it('[BR9] replaces the helpline page (cross-origin top) and purges the chat at the server', async () => {
    const context = await browser.newContext();
    await stubExitSite(context);
    const operator = new TestOperator(await operatorSocket(quietline, OPERATOR_1712.id));
    try {
      await operator.available();
      const page = await context.newPage();
      await page.goto(`${host.origin}/`);
      await page.getByRole('button', { name: 'Chat with us' }).click();
      const widget = page.frameLocator('iframe');
      await startChat(widget);
      const chat = await operator.acceptNextOffer();
      await widget.getByRole('heading', { name: /^Chat with/ }).waitFor();

      await widget.getByRole('button', { name: 'Quick exit' }).click();
      await page.waitForURL(EXIT_URL);
      expect(await operator.socket.next('ended')).to.include({ chat, by: 'visitor' });
      expect(await quietline.store.getTicket(chat), 'purged at once').to.equal(undefined);
      await page.goBack();
      expect(page.url()).to.not.include(host.origin);
    } finally {
      operator.socket.close();
      await context.close();
    }
  });
});
