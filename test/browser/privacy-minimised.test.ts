import { expect } from 'chai';
import { chatting, EXIT_URL, expectLeftForGood, expectNothingStored, minimise, sawQuickEnd, useChatFixture } from './widget-helpers.js';

/**
 * Privacy invariant 1 through the new ways a chat can end: a kept transcript, "Clear now",
 * and quick exit from the host page while minimised. Nothing may be stored on the device.
 */
describe('Browser privacy: no storage after a chat, its kept transcript, Clear now, or a minimised quick exit', () => {
  const f = useChatFixture();

  it('[BR43] stores nothing in any frame during a chat, after it ends with the transcript kept, and after Clear now', async () => {
    const { server, context, page, operator } = f;
    const { widget, chat } = await chatting(page, server, operator);
    await operator.say(chat, 'BR43 a counsellor message');
    await widget.getByRole('log').getByText('BR43 a counsellor message').waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill('BR43 a visitor message');
    await widget.getByRole('button', { name: 'Send' }).click();
    expect(await operator.hear(chat)).to.equal('BR43 a visitor message');
    await expectNothingStored(context, page, 'during the chat');

    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('button', { name: 'Yes, end the chat' }).click();
    await widget.locator('html[data-view="chat-ended"]').waitFor({ state: 'attached' });
    await widget.getByRole('log').getByText('BR43 a counsellor message').waitFor();
    await expectNothingStored(context, page, 'with the ended conversation kept on screen');

    await widget.getByRole('button', { name: 'Clear now' }).click();
    await widget.locator('html[data-view="ended"]').waitFor({ state: 'attached' });
    await expectNothingStored(context, page, 'after Clear now');
  });

  it('[BR44] stores nothing on any origin after quick exit from the host page while minimised', async () => {
    const { server, context, page, operator } = f;
    const { widget, chat } = await chatting(page, server, operator);
    await operator.say(chat, 'BR44 a counsellor message');
    await widget.getByRole('log').getByText('BR44 a counsellor message').waitFor();
    await minimise(page, widget);
    await expectNothingStored(context, page, 'while minimised');
    await page.locator('#quietline-quick-exit').click();
    expect(await operator.socket.next<{ chat: string; by: string }>('ended')).to.include({ chat, by: 'visitor' });
    expect(sawQuickEnd(server)).to.equal(true);
    await page.waitForURL(EXIT_URL);
    await expectNothingStored(context, page, 'on the exit site after quick exit');
    await expectLeftForGood(page);
    await expectNothingStored(context, page, 'after Back from the exit site');
  });
});
