import { expect } from 'chai';
import { serverToOperatorSchema } from '../../protocol/operator-messages.js';
import { connectedChat } from '../support/chat-parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const request = { line: '1712', language: 'nl', topic: 'violence' };

/**
 * The operator must tell a visitor who left by quick exit (who may no longer be safe to
 * write) from one who simply left and from one whose connection was lost.
 */
describe('How the operator is told a chat ended', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ clock: 'manual', operators: [{ id: 'anna', ...request, lines: ['1712'], languages: ['nl'], topics: ['violence'] }] });
  });
  afterEach(() => server.close());

  const leave = (token: string, quick: boolean) =>
    fetch(`${server.url}/api/chat/leave`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ token, quick }) });

  it("says quick: true when the visitor's socket ends with a quick exit, and the visitor's own ended stays as it was", async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    visitor.socket.send({ type: 'end', quick: true });
    expect(await visitor.socket.next('ended')).to.deep.equal({ type: 'ended', by: 'visitor' });
    const ended = await operator.socket.next('ended');
    expect(ended).to.deep.equal({ type: 'ended', chat, by: 'visitor', quick: true });
    expect(serverToOperatorSchema.safeParse(ended).success, 'valid for the console').to.equal(true);
    expect(await server.store.getTicket(chat), 'purged at once').to.equal(undefined);
  });

  it('says quick: true when a quick exit arrives as the leave beacon', async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    visitor.socket.socket.terminate();
    await visitor.socket.closed;
    expect((await leave(visitor.token, true)).status).to.equal(204);
    expect(await operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat, by: 'visitor', quick: true });
  });

  it('leaves quick out when the visitor ends the chat normally, on the socket or by beacon', async () => {
    const first = await connectedChat(server, 'anna', request);
    first.visitor.socket.send({ type: 'end', quick: false });
    expect(await first.operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat: first.chat, by: 'visitor' });

    const second = await connectedChat(server, 'anna', request);
    second.visitor.socket.socket.terminate();
    await second.visitor.socket.closed;
    expect((await leave(second.visitor.token, false)).status).to.equal(204);
    expect(await second.operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat: second.chat, by: 'visitor' });
  });

  it("says by: system, without quick, when the visitor's connection was lost and the grace ran out", async () => {
    const { operator, visitor, chat } = await connectedChat(server, 'anna', request);
    visitor.socket.close();
    await visitor.socket.closed;
    server.manualClock!.advance(server.config.reconnectGraceMs);
    expect(await operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat, by: 'system' });
  });

  it("answers the operator's own end with by: operator, without quick", async () => {
    const { operator, chat } = await connectedChat(server, 'anna', request);
    operator.socket.send({ type: 'end', chat, wrapUp: 'information' });
    expect(await operator.socket.next('ended')).to.deep.equal({ type: 'ended', chat, by: 'operator' });
  });
});
