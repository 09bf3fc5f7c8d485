import { expect } from 'chai';
import { chatting, minimise, useChatFixture } from './widget-helpers.js';

describe('Browser: new messages while minimised, and ending a chat with a confirmation', () => {
  const f = useChatFixture();

  it('[BR25] the launcher counts messages that arrive while minimised, never shows their text on the host page, and resets when opened', async () => {
    const { server, page, operator } = f;
    const secrets = ['BR25-SECRET-one: are you safe right now?', 'BR25-SECRET-two: I am here when you are ready.'];
    const { widget, chat } = await chatting(page, server, operator);
    const title = await page.title();
    await minimise(page, widget);
    for (const body of secrets) await operator.say(chat, body);

    const launcher = page.locator('#quietline-launcher');
    await page.getByRole('button', { name: /New messages: 2/ }).waitFor();
    expect(await launcher.getAttribute('aria-label')).to.equal('Chat with us, New messages: 2');
    expect((await launcher.innerText()).replace(/\s+/g, ' ')).to.include('2');
    // Nothing of the messages on the host page: not in its DOM, not in its title.
    const hostHtml = await page.evaluate(() => document.documentElement.outerHTML);
    for (const body of secrets) expect(hostHtml).to.not.include(body.slice(0, 12));
    expect(await page.title()).to.equal(title);

    await launcher.click();
    await widget.getByRole('log').getByText(secrets[1]!).waitFor();
    await page.getByRole('button', { name: 'Chat with us', exact: true }).waitFor();
    expect(await launcher.getAttribute('aria-label')).to.equal(null);
    expect(await page.title()).to.equal(title);
  });

  it('[BR26] "End chat" asks first; "No, keep chatting" keeps the chat going and the operator hears no end', async () => {
    const { server, page, operator } = f;
    const { widget, chat } = await chatting(page, server, operator);
    await widget.getByRole('button', { name: 'End chat' }).click();
    const confirm = widget.getByRole('group', { name: 'End the chat with 1712?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Yes, end the chat' }).waitFor();
    await confirm.getByRole('button', { name: 'No, keep chatting' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // Still chatting: a message goes through, and nothing ended reached the operator.
    await widget.getByRole('textbox', { name: 'Message' }).fill('BR26 still here');
    await widget.getByRole('button', { name: 'Send' }).click();
    expect(await operator.hear(chat)).to.equal('BR26 still here');
    expect(operator.socket.has('ended')).to.equal(false);
    expect(server.frames.some((f) => f.kind === 'visitor' && f.direction === 'in' && f.frame.includes('"type":"end"'))).to.equal(false);
  });

  it('[BR27] "Yes, end the chat" ends it; the conversation stays readable with "Clear now" until cleared, then the ended view', async () => {
    const { server, page, operator } = f;
    const { widget, chat } = await chatting(page, server, operator);
    await operator.say(chat, 'BR27 from the counsellor: call 1712 any time.');
    await widget.getByRole('log').getByText('BR27 from the counsellor').waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill('BR27 from the visitor');
    await widget.getByRole('button', { name: 'Send' }).click();
    expect(await operator.hear(chat)).to.equal('BR27 from the visitor');

    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('group', { name: 'End the chat with 1712?' }).getByRole('button', { name: 'Yes, end the chat' }).click();
    expect(await operator.socket.next<{ chat: string; by: string }>('ended')).to.include({ chat, by: 'visitor' });

    // Kept: both sides of the conversation, the ended panel and Clear now.
    await widget.locator('html[data-view="chat-ended"]').waitFor({ state: 'attached' });
    // (The panel's title is an h2 with role="status", so it is a status, not a heading.)
    await widget.locator('.ended-panel').getByText('The chat has ended').waitFor();
    await widget.getByRole('log').getByText('BR27 from the counsellor').waitFor();
    await widget.getByRole('log').getByText('BR27 from the visitor').waitFor();
    const clear = widget.getByRole('button', { name: 'Clear now' });
    await clear.waitFor();

    await clear.click();
    await widget.locator('html[data-view="ended"]').waitFor({ state: 'attached' });
    await widget.getByRole('heading', { name: 'The chat has ended' }).waitFor();
    await widget.getByText('The conversation has been removed from this page.').waitFor();
    const frameHtml = await widget.locator('html').evaluate((html) => html.outerHTML);
    expect(frameHtml).to.not.include('BR27');
    expect(await widget.getByRole('log').count()).to.equal(0);
  });
});
