import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, signInOperator, startChat } from './browser.js';

describe('Browser: a visitor whose connection is lost for good', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  it('[CL1] stops saying "Reconnecting…" once the server has let the chat go, and shows the numbers to call', async () => {
    // A short grace, so the widget's own give-up comes quickly: it waits as long as the server would.
    server = await startTestServer({
      operators: [OPERATOR_1712],
      config: { lines: await linesWithEnglish(), reconnectGraceMs: 2_000 },
    });
    const visitorContext = await browser.newContext();
    const operatorContext = await browser.newContext();
    try {
      const visitor = await visitorContext.newPage();
      const widget = await openWidget(visitor, server);
      await startChat(widget);
      const operator = await operatorContext.newPage();
      await signInOperator(operator, server, OPERATOR_1712.id);
      await operator.getByRole('button', { name: 'Accept' }).click();
      await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();

      // The whole service goes away (the network, a crash): the widget first tries again ...
      await server.close();
      await widget.getByText('Reconnecting…').first().waitFor();
      // ... and then, past the grace, says the chat ended and who to call instead.
      await widget.getByRole('heading', { name: 'The chat has been closed' }).waitFor({ timeout: 15_000 });
      await widget.getByRole('link', { name: /112/ }).first().waitFor();
    } finally {
      await visitorContext.close();
      await operatorContext.close();
    }
  });
});
