import { expect } from 'chai';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { operatorSocket, visitorSocket } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { settle } from '../../support/settle.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

/**
 * An operator who lets offers run out one after another is set away and told why
 * (OFFERS_MISSED_BEFORE_AWAY, 3 by default), so visitors stop waiting on someone who is not
 * there. The clock is manual: each offer runs out when the test moves it.
 */
describe('Offers missed in a row', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  const start = (missed?: number) =>
    startTestServer({ clock: 'manual', operators: [{ id: 'anna', ...nl }], ...(missed === undefined ? {} : { config: { offersMissedBeforeAway: missed } }) });

  /** Let the offer standing for `anna` run out. */
  async function letExpire(anna: TestOperator): Promise<void> {
    await anna.socket.next('offer');
    server.manualClock!.advance(server.config.offerTimeoutMs);
    expect(await anna.socket.next('offer-withdrawn')).to.include({ reason: 'expired' });
  }

  it('sets an operator away after three offers in a row ran out, says why, and offers them nothing more', async () => {
    server = await start();
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await letExpire(anna);
    await letExpire(anna);
    await anna.socket.next('offer');
    server.manualClock!.advance(server.config.offerTimeoutMs);
    expect(await anna.socket.next('status')).to.deep.equal({ type: 'status', status: 'away', reason: 'missed-offers', missed: 3 });
    expect((await server.store.getPresence('anna'))?.status).to.equal('away');
    const logged = server.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reason === 'missed-offers');
    expect(logged).to.include({ event: 'operator.status', operator: 'anna', status: 'away', count: 3 });
    // An offer made in that same instant (a dispatch already under way) is withdrawn with
    // the status; none comes after it.
    const count = (type: string) => anna.socket.received.filter((m) => m.type === type).length;
    const made = count('offer');
    server.manualClock!.advance(3 * server.config.offerTimeoutMs);
    await settle();
    expect(count('offer')).to.equal(made);
    expect(count('offer-withdrawn')).to.equal(made);
  });

  it('starts the count again when the operator answers one, and when they choose to be available', async () => {
    server = await start();
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const first = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await letExpire(anna);
    await letExpire(anna);
    // The third is declined: an answer, so the count starts again.
    const offer = await anna.socket.next<{ ticket: string }>('offer');
    anna.socket.send({ type: 'decline', ticket: offer.ticket });
    expect((await anna.socket.next<{ ticket: string }>('offer')).ticket).to.equal(first.chat);
    server.manualClock!.advance(server.config.offerTimeoutMs);
    await anna.socket.next('offer-withdrawn');
    await letExpire(anna);
    // Two missed since the decline; choosing "available" again starts afresh too.
    anna.socket.send({ type: 'status', status: 'available' });
    expect(await anna.socket.next('status')).to.deep.equal({ type: 'status', status: 'available' });
    await letExpire(anna);
    await letExpire(anna);
    expect((await server.store.getPresence('anna'))?.status).to.equal('available');
  });

  it('never sets anyone away with OFFERS_MISSED_BEFORE_AWAY at 0', async () => {
    server = await start(0);
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    for (let i = 0; i < 5; i++) await letExpire(anna);
    expect(anna.socket.has('status')).to.equal(false);
    expect((await server.store.getPresence('anna'))?.status).to.equal('available');
  });
});
