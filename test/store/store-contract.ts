import { expect } from 'chai';
import { ManualClock } from '../../server/clock.js';
import type { OperatorAccount } from '../../server/accounts/account.js';
import type { PresenceStatus, QueueRef, RoutingTicket, Ticket } from '../../server/routing/types.js';
import { waitingTicket } from '../support/routing-fixtures.js';
import { newCallTicket } from '../../server/routing/new-ticket.js';
import { bucketId } from '../../server/stats/aggregates.js';
import { CALL_CAPACITY_RULES, fits, type CallCapacityRule } from '../../server/routing/call-capacity.js';
import {
  HANDLE_TIME_SAMPLES,
  HANDLE_TIME_TTL_MS,
  MAX_BUFFERED_BYTES,
  MAX_BUFFERED_MESSAGES,
  type OperatorSession,
  type PresenceProfile,
  type Store,
} from '../../server/store/store.js';

/**
 * What every Store must do, whatever it keeps its records in. Each store's test file calls
 * storeContract() once with a factory; the case ids ([ST1] …) stay stable so a failure on one
 * store can be matched with the same case on another. Only the Store interface is used here:
 * nothing a particular store adds (such as MemoryStore's counts()).
 *
 * Time is the ManualClock handed to the factory; the store must read its TTLs against it.
 */
export function storeContract(name: string, make: (clock: ManualClock) => Promise<Store>): void {
  const MINUTE = 60_000;
  const TICKET_TTL = 60 * MINUTE;
  const OFFER_MS = 30_000;
  const GRACE = 2 * MINUTE;

  describe(`Store contract: ${name}`, () => {
    let clock: ManualClock;
    let store: Store;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await make(clock);
    });

    afterEach(async () => {
      await store.close();
    });

    function ticket(id: string, overrides: Partial<Ticket> = {}): Ticket {
      return waitingTicket(id, clock.now(), overrides);
    }

    /** An operator's account profile, as upsertPresence takes it. */
    function profile(id: string, overrides: Partial<PresenceProfile> = {}): PresenceProfile {
      return {
        id,
        name: `Name of ${id}`,
        lines: ['1712'],
        languages: ['nl'],
        topics: ['violence'],
        capacity: 1,
        ...overrides,
      };
    }

    /** Make `id` present (or refresh them) from their profile, with `status`, for `ttlMs`. */
    async function present(
      id: string,
      overrides: Partial<PresenceProfile> = {},
      status: PresenceStatus = 'available',
      ttlMs = TICKET_TTL,
    ) {
      return store.upsertPresence(profile(id, overrides), status, clock.now(), ttlMs);
    }

    function offerTo(operatorId: string) {
      return { operatorId, expiresAt: clock.now() + OFFER_MS };
    }

    /** A waiting ticket offered to `operatorId`, who is present with `capacity`. */
    async function offered(id: string, operatorId: string, capacity = 1): Promise<void> {
      if (!(await store.getPresence(operatorId))) await present(operatorId, { capacity });
      if (!(await store.getTicket(id))) await store.createTicket(ticket(id), TICKET_TTL);
      expect(await store.offerTicket(id, offerTo(operatorId), clock.now())).to.equal(true);
    }

    /** A ticket accepted by `operatorId`. */
    async function accepted(id: string, operatorId: string, capacity = 1): Promise<void> {
      await offered(id, operatorId, capacity);
      const result = await store.acceptOffer(id, operatorId, `operator-key-${operatorId}`, clock.now());
      expect(result.ok).to.equal(true);
    }

    /** What routing sees of a ticket, as getTicket has it. */
    async function routingView(id: string): Promise<RoutingTicket | undefined> {
      const t = await store.getTicket(id);
      if (!t) return undefined;
      const { channel, line, language, topic, createdAt, state, offer, triedBy, visitorNode } = t;
      return { id, channel, line, language, topic, createdAt, state, offer, triedBy, visitorNode };
    }

    async function activeOf(operatorId: string): Promise<string[]> {
      return (await store.getPresence(operatorId))?.active ?? [];
    }

    describe('tickets', () => {
      it('[ST1] returns a created ticket', async () => {
        const t = ticket('t1');
        await store.createTicket(t, TICKET_TTL);
        expect(await store.getTicket('t1')).to.deep.equal(t);
      });

      it('[ST2] returns nothing for a ticket it never had', async () => {
        expect(await store.getTicket('nope')).to.equal(undefined);
      });

      it('[ST3] lists every live ticket in creation order, whatever their ids and ages', async () => {
        for (const id of ['c', 'a', 'b']) await store.createTicket(ticket(id), TICKET_TTL);
        expect((await store.listTickets()).map((t) => t.id)).to.deep.equal(['c', 'a', 'b']);
      });

      it('[ST4] keeps creation order in the list while tickets are offered and accepted', async () => {
        for (const id of ['c', 'a', 'b']) await store.createTicket(ticket(id), TICKET_TTL);
        await accepted('a', 'anna');
        await store.offerTicket('c', offerTo('ben'), clock.now());
        expect((await store.listTickets()).map((t) => t.id)).to.deep.equal(['c', 'a', 'b']);
      });

      it('[ST5] lists waiting, active and ended-within-grace tickets alike', async () => {
        await store.createTicket(ticket('waiting'), TICKET_TTL);
        await accepted('active', 'anna');
        await store.createTicket(ticket('ended'), TICKET_TTL);
        await store.endTicket('ended', 'visitor', clock.now(), GRACE);
        const states = Object.fromEntries((await store.listTickets()).map((t) => [t.id, t.state]));
        expect(states).to.deep.equal({ waiting: 'waiting', active: 'active', ended: 'ended' });
      });

      it('[ST6] lists nothing when it holds no tickets', async () => {
        expect(await store.listTickets()).to.deep.equal([]);
      });

      it('[ST7] deletes a ticket at once', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        await store.deleteTicket('t1');
        expect(await store.getTicket('t1')).to.equal(undefined);
        expect(await store.listTickets()).to.deep.equal([]);
      });

      it('[ST8] deletes a ticket together with every message it holds', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'sealed-v1' });
        await store.appendMessage('t1', 'operator', { seq: 1, data: 'sealed-o1' });
        await store.deleteTicket('t1');
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([]);
        expect(await store.messagesAfter('t1', 'operator', 0)).to.deep.equal([]);
      });

      it('[ST9] starts a ticket made again under a deleted id with no messages', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'old' });
        await store.deleteTicket('t1');
        await store.createTicket(ticket('t1'), TICKET_TTL);
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([]);
        expect(await store.appendMessage('t1', 'visitor', { seq: 1, data: 'new' })).to.equal('stored');
      });

      it('[ST10] frees the operator\'s slot when an active ticket is deleted', async () => {
        await accepted('t1', 'anna');
        await store.deleteTicket('t1');
        expect(await activeOf('anna')).to.deep.equal([]);
      });

      it('[ST11] deletes a ticket it does not have without complaint', async () => {
        await store.deleteTicket('nope');
        expect(await store.getTicket('nope')).to.equal(undefined);
      });
    });

    describe('offerTicket', () => {
      it('[ST12] offers a waiting ticket', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        const offer = offerTo('anna');
        expect(await store.offerTicket('t1', offer, clock.now())).to.equal(true);
        const t = await store.getTicket('t1');
        expect(t?.offer).to.deep.equal(offer);
        expect(t?.state).to.equal('waiting');
      });

      it('[ST13] refuses a ticket that has a live offer, keeping the first offer', async () => {
        await offered('t1', 'anna');
        expect(await store.offerTicket('t1', offerTo('ben'), clock.now())).to.equal(false);
        expect((await store.getTicket('t1'))?.offer?.operatorId).to.equal('anna');
      });

      it('[ST14] offers a ticket again once its offer has expired', async () => {
        await offered('t1', 'anna');
        clock.advance(OFFER_MS);
        expect(await store.offerTicket('t1', offerTo('ben'), clock.now())).to.equal(true);
        expect((await store.getTicket('t1'))?.offer?.operatorId).to.equal('ben');
      });

      it('[ST15] refuses a ticket that is no longer waiting', async () => {
        await accepted('active', 'anna');
        expect(await store.offerTicket('active', offerTo('ben'), clock.now())).to.equal(false);
        await store.createTicket(ticket('ended'), TICKET_TTL);
        await store.endTicket('ended', 'visitor', clock.now(), GRACE);
        expect(await store.offerTicket('ended', offerTo('ben'), clock.now())).to.equal(false);
        expect((await store.getTicket('ended'))?.offer).to.equal(null);
      });

      it('[ST16] refuses a ticket it does not have', async () => {
        expect(await store.offerTicket('nope', offerTo('anna'), clock.now())).to.equal(false);
        expect(await store.getTicket('nope')).to.equal(undefined);
      });

      it('[ST17] makes exactly one of several concurrent offers of one ticket', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        const operators = ['anna', 'ben', 'cleo', 'dirk', 'eva'];
        const results = await Promise.all(operators.map((op) => store.offerTicket('t1', offerTo(op), clock.now())));
        expect(results.filter(Boolean)).to.have.length(1);
        const winner = operators[results.indexOf(true)];
        expect((await store.getTicket('t1'))?.offer?.operatorId).to.equal(winner);
      });
    });

    describe('withdrawOffer', () => {
      it('[ST18] withdraws an offer for the operator it was made to, and remembers they had it', async () => {
        await offered('t1', 'anna');
        expect(await store.withdrawOffer('t1', 'anna')).to.equal(true);
        const t = await store.getTicket('t1');
        expect(t?.offer).to.equal(null);
        expect(t?.triedBy).to.deep.equal(['anna']);
        expect(t?.state).to.equal('waiting');
      });

      it('[ST19] refuses to withdraw an offer for anyone else', async () => {
        await offered('t1', 'anna');
        expect(await store.withdrawOffer('t1', 'ben')).to.equal(false);
        const t = await store.getTicket('t1');
        expect(t?.offer?.operatorId).to.equal('anna');
        expect(t?.triedBy).to.deep.equal([]);
      });

      it('[ST20] refuses when there is no offer, or no ticket', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        expect(await store.withdrawOffer('t1', 'anna')).to.equal(false);
        expect(await store.withdrawOffer('nope', 'anna')).to.equal(false);
        expect((await store.getTicket('t1'))?.triedBy).to.deep.equal([]);
      });

      it('[ST21] withdraws once: a second withdrawal is refused', async () => {
        await offered('t1', 'anna');
        const results = await Promise.all([store.withdrawOffer('t1', 'anna'), store.withdrawOffer('t1', 'anna')]);
        expect(results.filter(Boolean)).to.have.length(1);
        expect((await store.getTicket('t1'))?.triedBy).to.deep.equal(['anna']);
      });

      it('[ST22] remembers each operator once, however often they let the ticket pass', async () => {
        await offered('t1', 'anna');
        await store.withdrawOffer('t1', 'anna');
        await offered('t1', 'ben');
        await store.withdrawOffer('t1', 'ben');
        await offered('t1', 'anna');
        await store.withdrawOffer('t1', 'anna');
        expect((await store.getTicket('t1'))?.triedBy).to.deep.equal(['anna', 'ben']);
      });

      it('[ST23] lets the ticket be offered again once withdrawn', async () => {
        await offered('t1', 'anna');
        await store.withdrawOffer('t1', 'anna');
        expect(await store.offerTicket('t1', offerTo('ben'), clock.now())).to.equal(true);
      });

      it('[ST24] refuses to withdraw from an accepted ticket', async () => {
        await accepted('t1', 'anna');
        expect(await store.withdrawOffer('t1', 'anna')).to.equal(false);
        expect((await store.getTicket('t1'))?.state).to.equal('active');
      });
    });

    describe('acceptOffer', () => {
      it('[ST25] hands an offered ticket to its operator', async () => {
        await offered('t1', 'anna');
        clock.advance(5_000);
        const result = await store.acceptOffer('t1', 'anna', 'operator-key', clock.now());
        expect(result.ok).to.equal(true);
        const t = await store.getTicket('t1');
        expect(t).to.deep.include({
          state: 'active',
          offer: null,
          operatorId: 'anna',
          operatorKey: 'operator-key',
          operatorName: 'Name of anna',
          acceptedAt: clock.now(),
        });
        if (result.ok) expect(result.ticket).to.deep.equal(t);
        expect(await activeOf('anna')).to.deep.equal(['t1']);
      });

      it('[ST26] refuses an operator the ticket was not offered to', async () => {
        await offered('t1', 'anna');
        await present('ben');
        expect(await store.acceptOffer('t1', 'ben', 'k', clock.now())).to.deep.equal({ ok: false, reason: 'gone' });
        expect((await store.getTicket('t1'))?.state).to.equal('waiting');
        expect(await activeOf('ben')).to.deep.equal([]);
      });

      it('[ST27] refuses a ticket that was never offered', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        await present('anna');
        expect(await store.acceptOffer('t1', 'anna', 'k', clock.now())).to.deep.equal({ ok: false, reason: 'gone' });
      });

      it('[ST28] refuses an expired offer', async () => {
        await offered('t1', 'anna');
        clock.advance(OFFER_MS);
        expect(await store.acceptOffer('t1', 'anna', 'k', clock.now())).to.deep.equal({ ok: false, reason: 'gone' });
        expect((await store.getTicket('t1'))?.state).to.equal('waiting');
        expect(await activeOf('anna')).to.deep.equal([]);
      });

      it('[ST29] refuses a ticket that has ended or is gone', async () => {
        await offered('t1', 'anna');
        await store.endTicket('t1', 'visitor', clock.now(), GRACE);
        expect(await store.acceptOffer('t1', 'anna', 'k', clock.now())).to.deep.equal({ ok: false, reason: 'gone' });
        expect(await store.acceptOffer('nope', 'anna', 'k', clock.now())).to.deep.equal({ ok: false, reason: 'gone' });
        expect(await activeOf('anna')).to.deep.equal([]);
      });

      it('[ST30] refuses an operator already at capacity, leaving the ticket waiting', async () => {
        await accepted('t1', 'anna', 1);
        await offered('t2', 'anna');
        expect(await store.acceptOffer('t2', 'anna', 'k', clock.now())).to.deep.equal({ ok: false, reason: 'at-capacity' });
        expect((await store.getTicket('t2'))?.state).to.equal('waiting');
        expect(await activeOf('anna')).to.deep.equal(['t1']);
      });

      it('[ST31] refuses an operator who is not present', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        await store.offerTicket('t1', offerTo('ghost'), clock.now());
        const result = await store.acceptOffer('t1', 'ghost', 'k', clock.now());
        expect(result.ok).to.equal(false);
        expect((await store.getTicket('t1'))?.state).to.equal('waiting');
      });

      it('[ST32] never hands one ticket to two operators', async () => {
        const operators = ['anna', 'ben', 'cleo', 'dirk', 'eva', 'fien', 'gert', 'hanne'];
        for (const op of operators) await present(op, { capacity: 3 });
        await offered('t1', 'anna');
        // Everyone tries at once, the offered operator more than once.
        const attempts = [...operators, 'anna', ...operators.slice().reverse(), 'anna'];
        const results = await Promise.all(attempts.map((op) => store.acceptOffer('t1', op, `key-${op}`, clock.now())));
        expect(results.filter((r) => r.ok)).to.have.length(1);
        expect(attempts[results.findIndex((r) => r.ok)]).to.equal('anna');
        expect((await store.getTicket('t1'))?.operatorId).to.equal('anna');
        const holders = [];
        for (const op of operators) if ((await activeOf(op)).includes('t1')) holders.push(op);
        expect(holders).to.deep.equal(['anna']);
      });

      it('[ST33] gives a re-offered ticket only to the operator who holds the offer now', async () => {
        await offered('t1', 'anna');
        clock.advance(OFFER_MS);
        await offered('t1', 'ben');
        const results = await Promise.all([
          store.acceptOffer('t1', 'anna', 'key-anna', clock.now()),
          store.acceptOffer('t1', 'ben', 'key-ben', clock.now()),
          store.acceptOffer('t1', 'anna', 'key-anna', clock.now()),
        ]);
        expect(results.map((r) => r.ok)).to.deep.equal([false, true, false]);
        expect(await activeOf('anna')).to.deep.equal([]);
        expect(await activeOf('ben')).to.deep.equal(['t1']);
      });

      it('[ST34] accepts exactly once when the offered operator accepts twice at the same time', async () => {
        await offered('t1', 'anna', 3);
        const results = await Promise.all([
          store.acceptOffer('t1', 'anna', 'key', clock.now()),
          store.acceptOffer('t1', 'anna', 'key', clock.now()),
        ]);
        expect(results.filter((r) => r.ok)).to.have.length(1);
        expect(await activeOf('anna')).to.deep.equal(['t1']);
      });

      it('[ST35] never puts an operator over capacity', async () => {
        const ids = ['t1', 't2', 't3', 't4', 't5', 't6'];
        for (const id of ids) await offered(id, 'anna', 2);
        const results = await Promise.all(ids.map((id) => store.acceptOffer(id, 'anna', 'key', clock.now())));
        expect(results.filter((r) => r.ok)).to.have.length(2);
        expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).to.deep.equal(Array(4).fill('at-capacity'));
        const active = await activeOf('anna');
        expect(active).to.have.length(2);
        const activeTickets = (await store.listTickets()).filter((t) => t.state === 'active').map((t) => t.id);
        expect(activeTickets.sort()).to.deep.equal([...active].sort());
      });

      it('[ST36] lets an operator accept again once a chat has freed a slot', async () => {
        await accepted('t1', 'anna', 1);
        await store.endTicket('t1', 'operator', clock.now(), GRACE);
        await offered('t2', 'anna');
        expect((await store.acceptOffer('t2', 'anna', 'k', clock.now())).ok).to.equal(true);
      });

      it('[ST83] does not count a held chat whose ticket has expired', async () => {
        await store.createTicket(ticket('t1'), 10 * MINUTE);
        await accepted('t1', 'anna', 1);
        clock.advance(10 * MINUTE);
        expect(await store.getTicket('t1')).to.equal(undefined);
        await offered('t2', 'anna');
        const result = await store.acceptOffer('t2', 'anna', 'k', clock.now());
        expect(result.ok).to.equal(true);
        expect(await activeOf('anna')).to.deep.equal(['t2']);
      });
    });

    describe('acceptOffer with phone calls (routing/call-capacity.ts)', () => {
      /** A waiting call ticket offered to `operatorId`. */
      async function callOffered(id: string, operatorId: string, capacity = 3): Promise<void> {
        if (!(await store.getPresence(operatorId))) await present(operatorId, { capacity });
        await store.createTicket(newCallTicket(id, { line: '1712', language: 'nl', topic: 'violence' }, clock.now()), TICKET_TTL);
        expect(await store.offerTicket(id, offerTo(operatorId), clock.now())).to.equal(true);
      }
      const accept = (id: string, rule: CallCapacityRule) => store.acceptOffer(id, 'anna', '', clock.now(), null, rule);

      it('[ST111] names the call an operator took in their presence, and forgets it when the call ends', async () => {
        await callOffered('c1', 'anna');
        expect((await accept('c1', 'blocks-new')).ok).to.equal(true);
        expect(await store.getPresence('anna')).to.include({ call: 'c1' });
        expect((await store.listPresence()).find((p) => p.id === 'anna')).to.include({ call: 'c1' });
        await store.endTicket('c1', 'visitor', clock.now(), GRACE);
        expect(await store.getPresence('anna')).to.include({ call: null });
      });

      it('[ST112] refuses a chat beside a call under blocks-new and exclusive, and takes it under one-place', async () => {
        for (const rule of ['blocks-new', 'exclusive', 'one-place'] as const) {
          await callOffered(`c-${rule}`, 'anna');
          expect((await accept(`c-${rule}`, rule)).ok, rule).to.equal(true);
          await offered(`t-${rule}`, 'anna');
          const result = await store.acceptOffer(`t-${rule}`, 'anna', 'k', clock.now(), null, rule);
          expect(result, rule).to.deep.include(rule === 'one-place' ? { ok: true } : { ok: false, reason: 'at-capacity' });
          await store.endTicket(`c-${rule}`, 'visitor', clock.now(), GRACE);
          await store.endTicket(`t-${rule}`, 'operator', clock.now(), GRACE);
        }
      });

      it('[ST113] never lets an operator take two calls at once, whatever the rule', async () => {
        for (const rule of CALL_CAPACITY_RULES) {
          await callOffered(`a-${rule}`, 'anna');
          await callOffered(`b-${rule}`, 'anna');
          const results = await Promise.all([accept(`a-${rule}`, rule), accept(`b-${rule}`, rule)]);
          expect(results.filter((r) => r.ok), rule).to.have.length(1);
          for (const id of [`a-${rule}`, `b-${rule}`]) await store.endTicket(id, 'visitor', clock.now(), GRACE);
        }
      });

      it('[ST114] gives a call under exclusive only to an operator with nothing else, and to one with chats under the others', async () => {
        await accepted('t1', 'anna', 3);
        await callOffered('c1', 'anna');
        expect(await accept('c1', 'exclusive')).to.deep.equal({ ok: false, reason: 'at-capacity' });
        expect((await accept('c1', 'blocks-new')).ok).to.equal(true);
        expect(await activeOf('anna')).to.have.members(['t1', 'c1']);
      });

      it('[ST120] agrees with fits() in every case of load, channel and rule', async () => {
        // What the operator already holds before the accept: chats, and whether one is a call.
        const scenes: { held: ('chat' | 'call')[]; channel: 'chat' | 'call' }[] = [
          { held: [], channel: 'chat' },
          { held: [], channel: 'call' },
          { held: ['chat'], channel: 'call' },
          { held: ['call'], channel: 'chat' },
          { held: ['call'], channel: 'call' },
          { held: ['chat', 'chat', 'chat'], channel: 'chat' },
          { held: ['chat', 'chat'], channel: 'call' },
        ];
        let n = 0;
        for (const rule of CALL_CAPACITY_RULES) {
          for (const { held, channel } of scenes) {
            const op = `op${n++}`;
            await present(op, { capacity: 3 });
            for (const [i, kind] of held.entries()) {
              const id = `${op}-held${i}`;
              await store.createTicket(kind === 'call' ? newCallTicket(id, { line: '1712', language: 'nl', topic: 'violence' }, clock.now()) : ticket(id), TICKET_TTL);
              await store.offerTicket(id, offerTo(op), clock.now());
              // Held ones go in under the most generous rule: the case is what they leave room for.
              expect((await store.acceptOffer(id, op, '', clock.now(), null, 'one-place')).ok).to.equal(true);
            }
            const id = `${op}-new`;
            await store.createTicket(channel === 'call' ? newCallTicket(id, { line: '1712', language: 'nl', topic: 'violence' }, clock.now()) : ticket(id), TICKET_TTL);
            await store.offerTicket(id, offerTo(op), clock.now());
            const expected = fits({ taken: held.length, capacity: 3, onCall: held.includes('call') }, channel, rule);
            const result = await store.acceptOffer(id, op, '', clock.now(), null, rule);
            expect(result.ok, `${rule}: a ${channel} beside ${held.join(', ') || 'nothing'}`).to.equal(expected);
          }
        }
      });

      it('[ST115] frees the call mark of an accept that failed to claim the ticket', async () => {
        await callOffered('c1', 'anna');
        await store.endTicket('c1', 'visitor', clock.now(), GRACE);
        expect((await accept('c1', 'blocks-new')).ok).to.equal(false);
        await offered('t1', 'anna');
        expect((await store.acceptOffer('t1', 'anna', 'k', clock.now(), null, 'blocks-new')).ok).to.equal(true);
        expect(await store.getPresence('anna')).to.include({ call: null });
      });
    });

    describe('call states', () => {
      it('[ST116] keeps the first value claimed and hands it to every later claim', async () => {
        expect(await store.putCallState('sid:a', 'first', TICKET_TTL, true)).to.equal('first');
        expect(await store.putCallState('sid:a', 'second', TICKET_TTL, true)).to.equal('first');
        expect(await store.getCallState('sid:a')).to.equal('first');
      });

      it('[ST117] replaces a value when not claiming, and forgets it when deleted', async () => {
        await store.putCallState('sid:a', 'first', TICKET_TTL);
        expect(await store.putCallState('sid:a', 'second', TICKET_TTL)).to.equal('second');
        expect(await store.getCallState('sid:a')).to.equal('second');
        await store.deleteCallState('sid:a');
        expect(await store.getCallState('sid:a')).to.equal(undefined);
      });

      it('[ST118] lets a value run out by its TTL, after which a claim takes the new one', async () => {
        await store.putCallState('sid:a', 'first', MINUTE, true);
        clock.advance(MINUTE);
        expect(await store.getCallState('sid:a')).to.equal(undefined);
        expect(await store.putCallState('sid:a', 'second', MINUTE, true)).to.equal('second');
      });

      it('[ST119] agrees on one value when many claim at once', async () => {
        const held = await Promise.all(['a', 'b', 'c', 'd'].map((v) => store.putCallState('sid:x', v, TICKET_TTL, true)));
        expect(new Set(held).size).to.equal(1);
      });
    });

    describe('endTicket', () => {
      it('[ST37] ends a chat and returns the ticket as it was before', async () => {
        await accepted('t1', 'anna');
        const before = await store.getTicket('t1');
        clock.advance(MINUTE);
        expect(await store.endTicket('t1', 'visitor', clock.now(), GRACE)).to.deep.equal(before);
        expect(await store.getTicket('t1')).to.deep.include({ state: 'ended', endedBy: 'visitor', endedAt: clock.now(), offer: null });
      });

      it('[ST38] is idempotent: a second end returns nothing and changes nothing', async () => {
        await accepted('t1', 'anna');
        await store.endTicket('t1', 'visitor', clock.now(), GRACE);
        const ended = await store.getTicket('t1');
        clock.advance(1_000);
        expect(await store.endTicket('t1', 'operator', clock.now(), GRACE)).to.equal(undefined);
        expect(await store.getTicket('t1')).to.deep.equal(ended);
      });

      it('[ST39] ends a chat exactly once when both sides end it at the same time', async () => {
        await accepted('t1', 'anna');
        const results = await Promise.all([
          store.endTicket('t1', 'visitor', clock.now(), GRACE),
          store.endTicket('t1', 'operator', clock.now(), GRACE),
          store.endTicket('t1', 'system', clock.now(), GRACE),
        ]);
        expect(results.filter((r) => r !== undefined)).to.have.length(1);
        expect(await activeOf('anna')).to.deep.equal([]);
      });

      it('[ST40] returns nothing for a ticket it does not have', async () => {
        expect(await store.endTicket('nope', 'visitor', clock.now(), GRACE)).to.equal(undefined);
        expect(await store.getTicket('nope')).to.equal(undefined);
      });

      it('[ST41] frees the operator\'s slot', async () => {
        await accepted('t1', 'anna', 2);
        await accepted('t2', 'anna', 2);
        await store.endTicket('t1', 'operator', clock.now(), GRACE);
        expect(await activeOf('anna')).to.deep.equal(['t2']);
      });

      it('[ST42] marks the operator idle from the moment their last chat ends', async () => {
        await accepted('t1', 'anna');
        clock.advance(7 * MINUTE);
        await store.endTicket('t1', 'visitor', clock.now(), GRACE);
        expect((await store.getPresence('anna'))?.idleSince).to.equal(clock.now());
      });

      it('[ST43] does not mark an operator idle while they still have another chat', async () => {
        await accepted('t1', 'anna', 2);
        await accepted('t2', 'anna', 2);
        const idleSince = (await store.getPresence('anna'))?.idleSince;
        clock.advance(7 * MINUTE);
        await store.endTicket('t1', 'visitor', clock.now(), GRACE);
        expect((await store.getPresence('anna'))?.idleSince).to.equal(idleSince);
      });

      it('[ST44] ends a waiting ticket, cancelling its offer', async () => {
        await offered('t1', 'anna');
        const before = await store.endTicket('t1', 'visitor', clock.now(), GRACE);
        expect(before?.state).to.equal('waiting');
        expect(await store.getTicket('t1')).to.deep.include({ state: 'ended', offer: null, operatorId: null });
        expect(await activeOf('anna')).to.deep.equal([]);
      });

      it('[ST45] keeps an ended ticket through the grace period only, and its messages not at all', async () => {
        await accepted('t1', 'anna');
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'sealed' });
        await store.endTicket('t1', 'operator', clock.now(), GRACE);
        expect(await store.messagesAfter('t1', 'visitor', 0), 'nobody can be sent them any more').to.deep.equal([]);
        clock.advance(GRACE - 1);
        expect((await store.getTicket('t1'))?.state).to.equal('ended');
        clock.advance(2);
        expect(await store.getTicket('t1')).to.equal(undefined);
        expect(await store.listTickets()).to.deep.equal([]);
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([]);
      });

      it('[ST46] leaves no slot held when an accept and an end race', async () => {
        await offered('t1', 'anna');
        const [acceptResult] = await Promise.all([
          store.acceptOffer('t1', 'anna', 'k', clock.now()),
          store.endTicket('t1', 'visitor', clock.now(), GRACE),
        ]);
        expect(['ok', 'gone']).to.include(acceptResult.ok ? 'ok' : acceptResult.reason);
        expect((await store.getTicket('t1'))?.state).to.equal('ended');
        expect(await activeOf('anna')).to.deep.equal([]);
      });
    });

    describe('waitingTickets', () => {
      const abuse = { topic: 'abuse' };

      it('[ST91] returns the oldest perQueue waiting tickets of each line × language × topic queue, together in creation order', async () => {
        // Interleaved across three queues; the 108/de one differs by line and language.
        await store.createTicket(ticket('v1'), TICKET_TTL);
        await store.createTicket(ticket('a1', abuse), TICKET_TTL);
        await store.createTicket(ticket('d1', { line: '108', language: 'de' }), TICKET_TTL);
        await store.createTicket(ticket('v2'), TICKET_TTL);
        await store.createTicket(ticket('a2', abuse), TICKET_TTL);
        await store.createTicket(ticket('v3'), TICKET_TTL);
        await store.createTicket(ticket('a3', abuse), TICKET_TTL);
        expect((await store.waitingTickets(2)).map((t) => t.id)).to.deep.equal(['v1', 'a1', 'd1', 'v2', 'a2']);
        expect((await store.waitingTickets(1)).map((t) => t.id)).to.deep.equal(['v1', 'a1', 'd1']);
        expect((await store.waitingTickets(10)).map((t) => t.id)).to.deep.equal(['v1', 'a1', 'd1', 'v2', 'a2', 'v3', 'a3']);
        expect(await store.waitingTickets(2)).to.deep.include(await routingView('v2'));
      });

      it('[ST92] counts offered tickets as waiting, leaves out accepted, ended, deleted and expired ones, and fills up from behind them', async () => {
        await store.createTicket(ticket('expires'), 10 * MINUTE);
        for (const id of ['accepted', 'ended', 'deleted', 'offered', 'w1', 'w2']) await store.createTicket(ticket(id), TICKET_TTL);
        await accepted('accepted', 'anna');
        await store.endTicket('ended', 'visitor', clock.now(), GRACE);
        await store.deleteTicket('deleted');
        await store.offerTicket('offered', offerTo('ben'), clock.now());
        expect((await store.waitingTickets(2)).map((t) => t.id)).to.deep.equal(['expires', 'offered']);
        clock.advance(10 * MINUTE);
        const head = await store.waitingTickets(2);
        expect(head.map((t) => t.id)).to.deep.equal(['offered', 'w1']);
        expect(head[0]?.offer?.operatorId).to.equal('ben');
        expect((await store.waitingTickets(5)).map((t) => t.id)).to.deep.equal(['offered', 'w1', 'w2']);
      });

      it('[ST93] returns nothing when nobody waits', async () => {
        expect(await store.waitingTickets(5)).to.deep.equal([]);
        await accepted('t1', 'anna');
        expect(await store.waitingTickets(5)).to.deep.equal([]);
      });

      it('[ST104] shows each ticket as getTicket does through offers, withdrawals, attaches and detaches', async () => {
        for (const id of ['t1', 't2']) await store.createTicket(ticket(id, { visitorNode: 'node-a', visitorEpoch: 1, detachedAt: null }), TICKET_TTL);
        const seen = async () => {
          const head = await store.waitingTickets(10);
          expect(head).to.deep.equal([await routingView('t1'), await routingView('t2')]);
          return head[0]!;
        };
        expect(await seen()).to.deep.include({ offer: null, triedBy: [], visitorNode: 'node-a' });
        await store.offerTicket('t1', offerTo('anna'), clock.now());
        expect((await seen()).offer?.operatorId).to.equal('anna');
        await store.withdrawOffer('t1', 'anna');
        expect(await seen()).to.deep.include({ offer: null, triedBy: ['anna'] });
        await store.detachVisitor('t1', 1, clock.now());
        expect((await seen()).visitorNode).to.equal(null);
        const epoch = (await store.attachVisitor('t1', 'node-b'))!;
        expect((await seen()).visitorNode).to.equal('node-b');
        await store.offerTicket('t1', offerTo('ben'), clock.now());
        clock.advance(OFFER_MS);
        // A refused offer changes nothing; an expired one may be replaced.
        expect(await store.offerTicket('t1', offerTo('cleo'), clock.now())).to.equal(true);
        await store.withdrawOffer('t1', 'cleo');
        await store.detachVisitor('t1', epoch, clock.now());
        expect(await seen()).to.deep.include({ offer: null, triedBy: ['anna', 'cleo'], visitorNode: null });
      });
    });

    describe('queuePositions', () => {
      /** 1712 / nl tickets, as the caller names their queue. */
      function inNl(...ids: string[]): QueueRef[] {
        return ids.map((id) => ({ id, line: '1712', language: 'nl' }));
      }

      it('[ST94] counts each waiting ticket\'s place in its line × language queue, across topics', async () => {
        const fr = { line: 'sos-viol', language: 'fr' };
        await store.createTicket(ticket('v1'), TICKET_TTL);
        await store.createTicket(ticket('fr1', { ...fr, topic: 'sexual-violence' }), TICKET_TTL);
        await store.createTicket(ticket('a1', { topic: 'abuse' }), TICKET_TTL);
        await store.createTicket(ticket('v2'), TICKET_TTL);
        await store.createTicket(ticket('en1', { language: 'en' }), TICKET_TTL);
        const positions = await store.queuePositions([...inNl('v2', 'a1', 'v1'), { id: 'fr1', ...fr }, { id: 'en1', line: '1712', language: 'en' }]);
        expect(Object.fromEntries(positions)).to.deep.equal({ v1: 1, a1: 2, v2: 3, fr1: 1, en1: 1 });
      });

      it('[ST95] leaves out tickets that are not waiting or not there, and moves the others up', async () => {
        for (const id of ['t1', 't2', 't3', 't4']) await store.createTicket(ticket(id), TICKET_TTL);
        await accepted('t1', 'anna');
        await store.endTicket('t2', 'visitor', clock.now(), GRACE);
        await store.offerTicket('t3', offerTo('ben'), clock.now());
        const positions = await store.queuePositions(inNl('t1', 't2', 't3', 't4', 'nope'));
        expect(Object.fromEntries(positions)).to.deep.equal({ t3: 1, t4: 2 });
        await store.deleteTicket('t3');
        expect(Object.fromEntries(await store.queuePositions(inNl('t3', 't4')))).to.deep.equal({ t4: 1 });
        expect((await store.queuePositions([])).size).to.equal(0);
      });

      it('[ST105] leaves out tickets that expired, and moves the others up', async () => {
        await store.createTicket(ticket('short'), 10 * MINUTE);
        for (const id of ['t1', 't2']) await store.createTicket(ticket(id), TICKET_TTL);
        expect(Object.fromEntries(await store.queuePositions(inNl('short', 't1', 't2')))).to.deep.equal({ short: 1, t1: 2, t2: 3 });
        clock.advance(10 * MINUTE);
        expect(Object.fromEntries(await store.queuePositions(inNl('short', 't1', 't2')))).to.deep.equal({ t1: 1, t2: 2 });
      });
    });

    describe('visitor attach epochs', () => {
      it('[ST96] bumps the epoch at every attach and records the node, clearing detachedAt', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        const fresh = (await store.getTicket('t1'))!;
        expect(await store.attachVisitor('t1', 'node-a')).to.equal(fresh.visitorEpoch + 1);
        expect(await store.getTicket('t1')).to.deep.include({ visitorNode: 'node-a', visitorEpoch: fresh.visitorEpoch + 1, detachedAt: null });
        expect(await store.attachVisitor('t1', 'node-b')).to.equal(fresh.visitorEpoch + 2);
        expect((await store.getTicket('t1'))?.visitorNode).to.equal('node-b');
        expect(await store.attachVisitor('nope', 'node-a')).to.equal(undefined);
        expect(await store.getTicket('nope')).to.equal(undefined);
      });

      it('[ST97] detaches only the current attach: a stale epoch changes nothing', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        const first = (await store.attachVisitor('t1', 'node-a'))!;
        const second = (await store.attachVisitor('t1', 'node-b'))!;
        clock.advance(1_000);
        expect(await store.detachVisitor('t1', first, clock.now())).to.equal(false);
        expect(await store.getTicket('t1')).to.deep.include({ visitorNode: 'node-b', detachedAt: null, visitorEpoch: second });
        expect(await store.detachVisitor('t1', second, clock.now())).to.equal(true);
        expect(await store.getTicket('t1')).to.deep.include({ visitorNode: null, detachedAt: clock.now(), visitorEpoch: second });
        clock.advance(1_000);
        expect(await store.detachVisitor('t1', second, clock.now()), 'already away').to.equal(false);
        expect((await store.getTicket('t1'))?.detachedAt).to.equal(clock.now() - 1_000);
        expect(await store.detachVisitor('nope', 1, clock.now())).to.equal(false);
      });

      it('[ST98] ends on the grace timer only if the visitor is still away on that epoch: a resume wins', async () => {
        await accepted('t1', 'anna');
        const away = (await store.attachVisitor('t1', 'node-a'))!;
        await store.detachVisitor('t1', away, clock.now());
        const resumed = (await store.attachVisitor('t1', 'node-b'))!;
        clock.advance(GRACE);
        expect(await store.endTicket('t1', 'system', clock.now(), GRACE, { ifDetachedEpoch: away })).to.equal(undefined);
        expect(await store.endTicket('t1', 'system', clock.now(), GRACE, { ifDetachedEpoch: resumed }), 'attached now').to.equal(undefined);
        expect((await store.getTicket('t1'))?.state).to.equal('active');
        expect(await activeOf('anna')).to.deep.equal(['t1']);
        await store.detachVisitor('t1', resumed, clock.now());
        const before = await store.endTicket('t1', 'system', clock.now(), GRACE, { ifDetachedEpoch: resumed });
        expect(before?.state).to.equal('active');
        expect(await store.getTicket('t1')).to.deep.include({ state: 'ended', endedBy: 'system' });
        expect(await activeOf('anna')).to.deep.equal([]);
      });
    });

    describe('operator consoles', () => {
      it('[ST99] records each node holding a console once, and clears disconnectedAt', async () => {
        await present('anna');
        expect((await store.attachConsole('anna', 'node-a'))?.nodes).to.deep.equal(['node-a']);
        expect((await store.attachConsole('anna', 'node-b'))?.nodes).to.deep.equal(['node-a', 'node-b']);
        const again = await store.attachConsole('anna', 'node-a');
        expect(again).to.deep.include({ nodes: ['node-a', 'node-b'], disconnectedAt: null, status: 'available' });
        expect(await store.getPresence('anna')).to.deep.equal(again);
        expect(await store.attachConsole('nope', 'node-a')).to.equal(undefined);
        expect(await store.getPresence('nope')).to.equal(undefined);
      });

      it('[ST100] goes offline, disconnected since now, when the last node lets go — keeping the chats and keeping the node list across upserts', async () => {
        await accepted('t1', 'anna', 2);
        await store.attachConsole('anna', 'node-a');
        await store.attachConsole('anna', 'node-b');
        const one = await store.detachConsole('anna', 'node-a', clock.now());
        expect(one).to.deep.include({ nodes: ['node-b'], status: 'available', disconnectedAt: null });
        clock.advance(MINUTE);
        const none = await store.detachConsole('anna', 'node-b', clock.now());
        expect(none).to.deep.include({ nodes: [], status: 'offline', disconnectedAt: clock.now(), active: ['t1'] });
        expect(await store.getPresence('anna')).to.deep.equal(none);
        expect((await store.getTicket('t1'))?.state).to.equal('active');
        // Coming back: a console attaches, the account refreshes presence; chats and nodes stay.
        await store.attachConsole('anna', 'node-c');
        const back = await present('anna', { capacity: 2 });
        expect(back).to.deep.include({ nodes: ['node-c'], disconnectedAt: null, active: ['t1'], status: 'available' });
        expect(await store.detachConsole('nope', 'node-a', clock.now())).to.equal(undefined);
      });
    });

    describe('node heartbeats', () => {
      it('[ST101] counts a node live until its heartbeat runs out on the clock, each heartbeat extending it', async () => {
        await store.heartbeatNode('node-a', clock.now(), 30_000);
        await store.heartbeatNode('node-b', clock.now(), 30_000);
        expect([...(await store.liveNodes(clock.now()))].sort()).to.deep.equal(['node-a', 'node-b']);
        clock.advance(20_000);
        await store.heartbeatNode('node-a', clock.now(), 30_000);
        clock.advance(10_000);
        expect([...(await store.liveNodes(clock.now()))]).to.deep.equal(['node-a']);
        clock.advance(20_000 - 1);
        expect([...(await store.liveNodes(clock.now()))]).to.deep.equal(['node-a']);
        clock.advance(1);
        expect((await store.liveNodes(clock.now())).size).to.equal(0);
      });

      it('[ST102] forgets a node that leaves cleanly at once', async () => {
        await store.heartbeatNode('node-a', clock.now(), 30_000);
        await store.heartbeatNode('node-b', clock.now(), 30_000);
        await store.forgetNode('node-a');
        await store.forgetNode('never-there');
        expect([...(await store.liveNodes(clock.now()))]).to.deep.equal(['node-b']);
      });
    });

    describe('leases', () => {
      const LEASE = 90_000;

      it('[ST106] gives a free lease to the first holder and refuses it to others while it runs', async () => {
        expect(await store.claimLease('sweep', 'node-a', clock.now(), LEASE)).to.equal(true);
        expect(await store.claimLease('sweep', 'node-b', clock.now(), LEASE)).to.equal(false);
        clock.advance(LEASE - 1);
        expect(await store.claimLease('sweep', 'node-b', clock.now(), LEASE)).to.equal(false);
        expect(await store.claimLease('other', 'node-b', clock.now(), LEASE), 'leases are apart').to.equal(true);
      });

      it('[ST107] renews a lease for its holder, from the renewal', async () => {
        expect(await store.claimLease('sweep', 'node-a', clock.now(), LEASE)).to.equal(true);
        clock.advance(LEASE - 1);
        expect(await store.claimLease('sweep', 'node-a', clock.now(), LEASE)).to.equal(true);
        clock.advance(LEASE - 1);
        expect(await store.claimLease('sweep', 'node-b', clock.now(), LEASE)).to.equal(false);
      });

      it('[ST108] gives the lease to another holder once it has run out on the clock', async () => {
        expect(await store.claimLease('sweep', 'node-a', clock.now(), LEASE)).to.equal(true);
        clock.advance(LEASE);
        expect(await store.claimLease('sweep', 'node-b', clock.now(), LEASE)).to.equal(true);
        expect(await store.claimLease('sweep', 'node-a', clock.now(), LEASE)).to.equal(false);
      });

      it('[ST110] gives a lease up at once for its holder only', async () => {
        expect(await store.claimLease('dispatch', 'node-a', clock.now(), LEASE)).to.equal(true);
        await store.releaseLease('dispatch', 'node-b');
        expect(await store.claimLease('dispatch', 'node-b', clock.now(), LEASE), 'not released by another').to.equal(false);
        await store.releaseLease('dispatch', 'node-a');
        expect(await store.claimLease('dispatch', 'node-b', clock.now(), LEASE)).to.equal(true);
        await store.releaseLease('nothing-held', 'node-a');
      });
    });

    describe('availability', () => {
      it('[ST103] answers a ping', async () => {
        await store.ping();
        store.onAvailability(() => {});
      });
    });

    describe('aggregates', () => {
      const key = { start: '2026-11-23T10:00:00.000Z', span: '15m' as const, line: '1712', language: 'nl', topic: 'violence', channel: 'chat' as const };

      it('[ST88] counts per bucket and field, and keeps buckets apart', async () => {
        await store.countAggregate(key, 'requested', TICKET_TTL);
        await store.countAggregate(key, 'requested', TICKET_TTL);
        await store.countAggregate(key, 'wrapUp:information', TICKET_TTL);
        await store.countAggregate({ ...key, topic: 'abuse' }, 'abandoned', TICKET_TTL);
        const all = await store.aggregates();
        expect(all).to.have.length(2);
        expect(all.find((a) => a.topic === 'violence')).to.deep.equal({ ...key, counts: { requested: 2, 'wrapUp:information': 1 } });
        expect(all.find((a) => a.topic === 'abuse')?.counts).to.deep.equal({ abandoned: 1 });
      });

      it('[ST89] forgets a bucket after its TTL', async () => {
        await store.countAggregate(key, 'answered', MINUTE);
        clock.advance(MINUTE + 1);
        expect(await store.aggregates()).to.deep.equal([]);
      });

      it('[ST121] reads the buckets asked for by id in one call, leaving out those not held', async () => {
        const later = { ...key, start: '2026-11-23T10:15:00.000Z' };
        await store.countAggregate(key, 'requested', TICKET_TTL);
        await store.countAggregate(later, 'answered', TICKET_TTL);
        const got = await store.aggregateBuckets([bucketId(later), bucketId({ ...key, topic: 'abuse' }), bucketId(key)]);
        expect(got.map((b) => b.start).sort()).to.deep.equal([key.start, later.start]);
        expect(await store.aggregateBuckets([])).to.deep.equal([]);
      });

      it('[ST122] gives the export every bucket from a time on, and none before it', async () => {
        for (const start of ['2026-11-22T23:45:00.000Z', '2026-11-23T00:00:00.000Z', '2026-11-23T10:00:00.000Z']) {
          await store.countAggregate({ ...key, start }, 'requested', TICKET_TTL);
        }
        const got = await store.aggregatesSince(Date.parse('2026-11-23T00:00:00.000Z'));
        expect(got.map((b) => b.start).sort()).to.deep.equal(['2026-11-23T00:00:00.000Z', '2026-11-23T10:00:00.000Z']);
      });

      it('[ST123] tallies a day per field, apart from other days and other tallies', async () => {
        await store.countDay('missed', '2026-11-23', 'anna', MINUTE);
        await store.countDay('missed', '2026-11-23', 'anna', MINUTE);
        await store.countDay('missed', '2026-11-23', 'bert', MINUTE);
        await store.countDay('missed', '2026-11-24', 'anna', MINUTE);
        await store.countDay('coverage', '2026-11-23', '1712|nl|uncoveredMinutes', MINUTE);
        expect([...(await store.dayTally('missed', '2026-11-23'))].sort()).to.deep.equal([['anna', 2], ['bert', 1]]);
        expect([...(await store.dayTally('missed', '2026-11-24'))]).to.deep.equal([['anna', 1]]);
        expect([...(await store.dayTally('coverage', '2026-11-23'))]).to.deep.equal([['1712|nl|uncoveredMinutes', 1]]);
        expect([...(await store.dayTally('coverage', '2026-11-24'))]).to.deep.equal([]);
      });

      it('[ST90] is not changed by mutating the aggregates it returned', async () => {
        await store.countAggregate(key, 'answered', TICKET_TTL);
        const [got] = await store.aggregates();
        got!.counts.answered = 99;
        expect((await store.aggregates())[0]!.counts.answered).to.equal(1);
      });
    });

    describe('messages', () => {
      beforeEach(async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
      });

      it('[ST86] refuses a message past MAX_BUFFERED_MESSAGES in one direction, storing nothing, and leaves the other direction alone', async () => {
        for (let seq = 1; seq <= MAX_BUFFERED_MESSAGES; seq++) {
          expect(await store.appendMessage('t1', 'visitor', { seq, data: 'x' })).to.equal('stored');
        }
        expect(await store.appendMessage('t1', 'visitor', { seq: MAX_BUFFERED_MESSAGES + 1, data: 'x' })).to.equal('full');
        expect(await store.messagesAfter('t1', 'visitor', MAX_BUFFERED_MESSAGES)).to.deep.equal([]);
        expect(await store.appendMessage('t1', 'visitor', { seq: 1, data: 'x' })).to.equal('duplicate');
        expect(await store.appendMessage('t1', 'operator', { seq: 1, data: 'x' })).to.equal('stored');
      });

      it('[ST87] refuses a message that would take one direction past MAX_BUFFERED_BYTES', async () => {
        const big = 'A'.repeat(16 * 1024);
        const fit = Math.floor(MAX_BUFFERED_BYTES / big.length);
        for (let seq = 1; seq <= fit; seq++) expect(await store.appendMessage('t1', 'operator', { seq, data: big })).to.equal('stored');
        expect(await store.appendMessage('t1', 'operator', { seq: fit + 1, data: big })).to.equal('full');
      });

      it('[ST49] stores messages numbered 1, 2, 3 … and returns those after a seq', async () => {
        for (const seq of [1, 2, 3]) {
          expect(await store.appendMessage('t1', 'visitor', { seq, data: `sealed-${seq}` })).to.equal('stored');
        }
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([
          { seq: 1, data: 'sealed-1' },
          { seq: 2, data: 'sealed-2' },
          { seq: 3, data: 'sealed-3' },
        ]);
        expect(await store.messagesAfter('t1', 'visitor', 2)).to.deep.equal([{ seq: 3, data: 'sealed-3' }]);
        expect(await store.messagesAfter('t1', 'visitor', 3)).to.deep.equal([]);
      });

      it('[ST50] calls a seq it already has a duplicate, and keeps the first', async () => {
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'first' });
        await store.appendMessage('t1', 'visitor', { seq: 2, data: 'second' });
        expect(await store.appendMessage('t1', 'visitor', { seq: 1, data: 'again' })).to.equal('duplicate');
        expect(await store.appendMessage('t1', 'visitor', { seq: 2, data: 'again' })).to.equal('duplicate');
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([
          { seq: 1, data: 'first' },
          { seq: 2, data: 'second' },
        ]);
      });

      it('[ST51] calls a skipped seq a gap, and does not store it', async () => {
        expect(await store.appendMessage('t1', 'visitor', { seq: 2, data: 'early' })).to.equal('gap');
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'one' });
        expect(await store.appendMessage('t1', 'visitor', { seq: 3, data: 'skipped-two' })).to.equal('gap');
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([{ seq: 1, data: 'one' }]);
        expect(await store.appendMessage('t1', 'visitor', { seq: 2, data: 'two' })).to.equal('stored');
      });

      it('[ST52] numbers each sender\'s messages separately', async () => {
        expect(await store.appendMessage('t1', 'visitor', { seq: 1, data: 'v1' })).to.equal('stored');
        expect(await store.appendMessage('t1', 'operator', { seq: 1, data: 'o1' })).to.equal('stored');
        expect(await store.appendMessage('t1', 'visitor', { seq: 2, data: 'v2' })).to.equal('stored');
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([
          { seq: 1, data: 'v1' },
          { seq: 2, data: 'v2' },
        ]);
        expect(await store.messagesAfter('t1', 'operator', 0)).to.deep.equal([{ seq: 1, data: 'o1' }]);
      });

      it('[ST53] keeps messages of different tickets apart', async () => {
        await store.createTicket(ticket('t2'), TICKET_TTL);
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'for-t1' });
        expect(await store.messagesAfter('t2', 'visitor', 0)).to.deep.equal([]);
        expect(await store.appendMessage('t2', 'visitor', { seq: 1, data: 'for-t2' })).to.equal('stored');
      });

      it('[ST54] stores nothing for a ticket it does not have', async () => {
        expect(await store.appendMessage('nope', 'visitor', { seq: 1, data: 'lost' })).to.not.equal('stored');
        expect(await store.messagesAfter('nope', 'visitor', 0)).to.deep.equal([]);
        expect(await store.getTicket('nope')).to.equal(undefined);
      });

      it('[ST55] stores each seq once when the same message arrives twice at the same time', async () => {
        const results = await Promise.all([
          store.appendMessage('t1', 'visitor', { seq: 1, data: 'x' }),
          store.appendMessage('t1', 'visitor', { seq: 1, data: 'x' }),
        ]);
        expect([...results].sort()).to.deep.equal(['duplicate', 'stored']);
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.have.length(1);
      });
    });

    describe('presence', () => {
      it('[ST56] makes a new operator present from their profile, idle from now, and takes a new profile and status when upserted again', async () => {
        const p = profile('anna', { capacity: 2 });
        const created = await store.upsertPresence(p, 'available', clock.now(), TICKET_TTL);
        const expected = { ...p, status: 'available', active: [], call: null, statusSince: clock.now(), idleSince: clock.now(), nodes: [], disconnectedAt: null };
        expect(created).to.deep.equal(expected);
        expect(await store.getPresence('anna')).to.deep.equal(expected);
        const since = clock.now();
        clock.advance(MINUTE);
        const changed = profile('anna', { name: 'Anna B.', lines: ['1712', '108'], languages: ['nl', 'en'], topics: ['violence', 'abuse'], capacity: 3 });
        const refreshed = await store.upsertPresence(changed, 'away', clock.now(), TICKET_TTL);
        // A new status starts its own time; the idle time runs on.
        const expectedAgain = { ...changed, status: 'away', active: [], call: null, statusSince: clock.now(), idleSince: since, nodes: [], disconnectedAt: null };
        expect(refreshed).to.deep.equal(expectedAgain);
        expect(await store.getPresence('anna')).to.deep.equal(expectedAgain);
      });

      it('[ST57] lists every present operator once', async () => {
        await present('anna');
        await present('ben');
        await present('anna', {}, 'away');
        const listed = await store.listPresence();
        expect(listed.map((p) => p.id).sort()).to.deep.equal(['anna', 'ben']);
        expect(listed.find((p) => p.id === 'anna')?.status).to.equal('away');
      });

      it('[ST109] lists each operator as getPresence reads them: their live chats in the order taken, none ended or only offered', async () => {
        await accepted('t1', 'anna', 3);
        clock.advance(1_000);
        await accepted('t2', 'anna', 3);
        clock.advance(1_000);
        await accepted('t3', 'anna', 3);
        await store.endTicket('t2', 'visitor', clock.now(), GRACE);
        await offered('t4', 'ben', 2);
        const listed = await store.listPresence();
        expect(listed.map((p) => p.id).sort()).to.deep.equal(['anna', 'ben']);
        for (const p of listed) expect(p, p.id).to.deep.equal(await store.getPresence(p.id));
        expect(listed.find((p) => p.id === 'anna')?.active).to.deep.equal(['t1', 't3']);
        expect(listed.find((p) => p.id === 'ben')?.active).to.deep.equal([]);
      });

      it('[ST58] returns nothing for an operator who is not present', async () => {
        expect(await store.getPresence('nope')).to.equal(undefined);
      });

      it('[ST78] keeps the chats held and idleSince when presence is upserted again, and takes the new profile', async () => {
        await accepted('t1', 'anna', 1);
        const idleSince = (await store.getPresence('anna'))!.idleSince;
        clock.advance(5 * MINUTE);
        const refreshed = await store.upsertPresence(profile('anna', { name: 'Anna B.', capacity: 2 }), 'away', clock.now(), TICKET_TTL);
        expect(refreshed).to.deep.include({ name: 'Anna B.', capacity: 2, status: 'away', active: ['t1'], idleSince });
        expect(await store.getPresence('anna')).to.deep.equal(refreshed);
        // The new capacity counts at once: a second chat fits next to the one held.
        await offered('t2', 'anna');
        expect((await store.acceptOffer('t2', 'anna', 'k', clock.now())).ok).to.equal(true);
        expect(await activeOf('anna')).to.deep.equal(['t1', 't2']);
      });

      it('[ST79] drops the chats whose ticket has expired or ended when presence is upserted again', async () => {
        await store.createTicket(ticket('expires'), 10 * MINUTE);
        await accepted('expires', 'anna', 3);
        await accepted('ended', 'anna', 3);
        await accepted('kept', 'anna', 3);
        await store.endTicket('ended', 'visitor', clock.now(), GRACE);
        clock.advance(10 * MINUTE);
        expect(await store.getTicket('expires')).to.equal(undefined);
        const refreshed = await present('anna', { capacity: 3 });
        expect(refreshed.active).to.deep.equal(['kept']);
        expect(await activeOf('anna')).to.deep.equal(['kept']);
      });

      it('[ST80] changes only the status (and idleSince if given), never clobbering the chats held', async () => {
        await present('anna', { capacity: 2 });
        await offered('t1', 'anna');
        const read = (await store.getPresence('anna'))!;
        expect(read.active).to.deep.equal([]);
        // A chat is accepted between the caller's read and its status change.
        expect((await store.acceptOffer('t1', 'anna', 'k', clock.now())).ok).to.equal(true);
        const away = await store.setPresenceStatus('anna', 'away', TICKET_TTL);
        expect(away).to.deep.equal({ ...read, status: 'away', active: ['t1'] });
        expect(await store.getPresence('anna')).to.deep.equal(away);
        clock.advance(MINUTE);
        const back = await store.setPresenceStatus('anna', 'available', TICKET_TTL, clock.now());
        expect(back).to.deep.equal({ ...read, status: 'available', active: ['t1'], idleSince: clock.now(), statusSince: clock.now() });
        expect(await store.getPresence('anna')).to.deep.equal(back);
      });

      it('[ST124] starts the time in status at each change of status only, also when the last console leaves', async () => {
        const start = clock.now();
        await present('anna', {}, 'available');
        await store.attachConsole('anna', 'node-a');
        clock.advance(MINUTE);
        await present('anna', {}, 'available');
        await store.setPresenceStatus('anna', 'available', TICKET_TTL);
        expect((await store.getPresence('anna'))!.statusSince).to.equal(start);
        expect((await store.listPresence())[0]!.statusSince).to.equal(start);
        await store.setPresenceStatus('anna', 'away', TICKET_TTL);
        expect((await store.getPresence('anna'))!.statusSince).to.equal(start + MINUTE);
        clock.advance(MINUTE);
        await store.detachConsole('anna', 'node-a', clock.now());
        expect(await store.getPresence('anna')).to.include({ status: 'offline', statusSince: start + 2 * MINUTE });
        expect((await store.listPresence())[0]!.statusSince).to.equal(start + 2 * MINUTE);
      });

      it('[ST81] keeps a chat accepted at the same time as a status change', async () => {
        await present('anna', { capacity: 2 });
        await offered('t1', 'anna');
        const [accept] = await Promise.all([
          store.acceptOffer('t1', 'anna', 'k', clock.now()),
          store.setPresenceStatus('anna', 'away', TICKET_TTL),
        ]);
        expect(accept.ok).to.equal(true);
        expect(await store.getPresence('anna')).to.deep.include({ status: 'away', active: ['t1'] });
      });

      it('[ST82] sets no status for an operator who is not present, and creates nothing', async () => {
        expect(await store.setPresenceStatus('nope', 'available', TICKET_TTL, clock.now())).to.equal(undefined);
        expect(await store.getPresence('nope')).to.equal(undefined);
        expect(await store.listPresence()).to.deep.equal([]);
        await present('anna', {}, 'available', MINUTE);
        clock.advance(MINUTE);
        expect(await store.setPresenceStatus('anna', 'away', TICKET_TTL)).to.equal(undefined);
        expect(await store.getPresence('anna')).to.equal(undefined);
        expect(await store.listPresence()).to.deep.equal([]);
      });
    });

    describe('sessions', () => {
      const session = (): OperatorSession => ({ operatorId: 'anna', credential: 'credential-anna', createdAt: clock.now(), lastSeenAt: clock.now() });

      it('[ST59] returns a session under its token hash', async () => {
        const s = session();
        await store.putSession('hash-1', s, MINUTE);
        expect(await store.getSession('hash-1')).to.deep.equal(s);
        expect(await store.getSession('hash-2')).to.equal(undefined);
      });

      it('[ST60] replaces a session put again under the same hash', async () => {
        await store.putSession('hash-1', session(), MINUTE);
        clock.advance(1_000);
        const later = { ...session(), lastSeenAt: clock.now() };
        await store.putSession('hash-1', later, MINUTE);
        expect(await store.getSession('hash-1')).to.deep.equal(later);
      });

      it('[ST61] deletes a session', async () => {
        await store.putSession('hash-1', session(), MINUTE);
        await store.deleteSession('hash-1');
        expect(await store.getSession('hash-1')).to.equal(undefined);
        await store.deleteSession('never-there');
      });
    });

    describe('operator accounts', () => {
      // A real scrypt hash's shape (the schema checks it); what it hashes does not matter here.
      const HASH = `scrypt$1024$8$1$${'A'.repeat(22)}$${'B'.repeat(43)}`;
      const account = (id: string, capacity = 3): OperatorAccount => ({
        id, name: `Name of ${id}`, role: 'operator', lines: ['1712'], languages: ['nl'], topics: ['violence'], capacity, passwordHash: HASH,
      });

      it('[ST125] creates an account only under a free id, and returns it as put', async () => {
        expect(await store.putAccount(account('anna'), 'create')).to.equal(true);
        expect(await store.putAccount(account('anna', 5), 'create')).to.equal(false);
        expect(await store.getAccount('anna')).to.deep.equal(account('anna'));
        expect(await store.getAccount('bert')).to.equal(undefined);
      });

      it('[ST126] replaces only an account that exists', async () => {
        expect(await store.putAccount(account('anna'), 'replace')).to.equal(false);
        expect(await store.getAccount('anna')).to.equal(undefined);
        await store.putAccount(account('anna'), 'create');
        expect(await store.putAccount(account('anna', 5), 'replace')).to.equal(true);
        expect((await store.getAccount('anna'))?.capacity).to.equal(5);
      });

      it('[ST127] lists every account and deletes one, saying whether it was there', async () => {
        await store.putAccount(account('bert'), 'create');
        await store.putAccount(account('anna'), 'create');
        expect((await store.listAccounts()).map((a) => a.id).sort()).to.deep.equal(['anna', 'bert']);
        expect(await store.deleteAccount('anna')).to.equal(true);
        expect(await store.deleteAccount('anna')).to.equal(false);
        expect((await store.listAccounts()).map((a) => a.id)).to.deep.equal(['bert']);
      });

      it('[ST128] keeps accounts however much time passes: they are staff records, not a chat\'s', async () => {
        await store.putAccount(account('anna'), 'create');
        clock.advance(400 * 24 * 60 * MINUTE);
        expect(await store.getAccount('anna')).to.deep.equal(account('anna'));
      });

      it('[ST129] gives each caller its own copy, so changing one changes nothing stored', async () => {
        await store.putAccount(account('anna'), 'create');
        const read = await store.getAccount('anna');
        read!.lines.push('108');
        expect((await store.getAccount('anna'))?.lines).to.deep.equal(['1712']);
      });
    });

    describe('handle times', () => {
      it('[ST62] returns the recorded handle times of a line, oldest first', async () => {
        await store.recordHandleTime('1712', 300);
        await store.recordHandleTime('1712', 600);
        await store.recordHandleTime('108', 60);
        expect(await store.recentHandleTimes('1712')).to.deep.equal([300, 600]);
        expect(await store.recentHandleTimes('108')).to.deep.equal([60]);
        expect(await store.recentHandleTimes('sos-viol')).to.deep.equal([]);
      });

      it(`[ST63] keeps at most HANDLE_TIME_SAMPLES (${HANDLE_TIME_SAMPLES}) per line, the newest`, async () => {
        for (let i = 1; i <= HANDLE_TIME_SAMPLES + 7; i++) await store.recordHandleTime('1712', i);
        const kept = await store.recentHandleTimes('1712');
        expect(kept).to.have.length(HANDLE_TIME_SAMPLES);
        expect(kept[0]).to.equal(8);
        expect(kept.at(-1)).to.equal(HANDLE_TIME_SAMPLES + 7);
      });
    });

    describe('every record expires by its TTL (privacy invariant 4)', () => {
      it('[ST64] forgets a ticket and its messages when its TTL runs out', async () => {
        await store.createTicket(ticket('t1'), 10 * MINUTE);
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'sealed' });
        clock.advance(10 * MINUTE - 1);
        expect(await store.getTicket('t1')).to.not.equal(undefined);
        clock.advance(2);
        expect(await store.getTicket('t1')).to.equal(undefined);
        expect(await store.listTickets()).to.deep.equal([]);
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([]);
      });

      it('[ST65] forgets an active chat at its TTL even if it is never ended', async () => {
        await present('anna', {}, 'available', 24 * 60 * MINUTE);
        await store.createTicket(ticket('t1'), 10 * MINUTE);
        await store.offerTicket('t1', offerTo('anna'), clock.now());
        await store.acceptOffer('t1', 'anna', 'k', clock.now());
        clock.advance(10 * MINUTE + 1);
        expect(await store.getTicket('t1')).to.equal(undefined);
      });

      it('[ST66] forgets presence when its TTL runs out', async () => {
        await present('anna', {}, 'available', 5 * MINUTE);
        clock.advance(5 * MINUTE - 1);
        expect(await store.getPresence('anna')).to.not.equal(undefined);
        clock.advance(2);
        expect(await store.getPresence('anna')).to.equal(undefined);
        expect(await store.listPresence()).to.deep.equal([]);
      });

      it('[ST84] keeps presence for another TTL from each status change, then forgets it', async () => {
        await present('anna', {}, 'available', 5 * MINUTE);
        clock.advance(4 * MINUTE);
        expect((await store.setPresenceStatus('anna', 'away', 5 * MINUTE))?.status).to.equal('away');
        clock.advance(5 * MINUTE - 1);
        expect((await store.getPresence('anna'))?.status).to.equal('away');
        clock.advance(2);
        expect(await store.getPresence('anna')).to.equal(undefined);
        expect(await store.listPresence()).to.deep.equal([]);
      });

      it('[ST85] keeps presence for another TTL from each upsert', async () => {
        await present('anna', {}, 'available', 5 * MINUTE);
        clock.advance(4 * MINUTE);
        await present('anna', {}, 'available', 5 * MINUTE);
        clock.advance(5 * MINUTE - 1);
        expect(await store.getPresence('anna')).to.not.equal(undefined);
        clock.advance(2);
        expect(await store.getPresence('anna')).to.equal(undefined);
      });

      it('[ST67] forgets a session when its TTL runs out', async () => {
        await store.putSession('hash-1', { operatorId: 'anna', credential: 'credential-anna', createdAt: clock.now(), lastSeenAt: clock.now() }, 5 * MINUTE);
        clock.advance(5 * MINUTE + 1);
        expect(await store.getSession('hash-1')).to.equal(undefined);
      });

      it('[ST68] forgets handle times a day after the last one was recorded', async () => {
        await store.recordHandleTime('1712', 300);
        clock.advance(HANDLE_TIME_TTL_MS / 2);
        await store.recordHandleTime('1712', 600);
        clock.advance(HANDLE_TIME_TTL_MS - 1);
        expect(await store.recentHandleTimes('1712')).to.deep.equal([300, 600]);
        clock.advance(2);
        expect(await store.recentHandleTimes('1712')).to.deep.equal([]);
      });

      it('[ST69] is empty once every TTL has run out, whatever happened before', async () => {
        await accepted('t1', 'anna');
        await store.appendMessage('t1', 'visitor', { seq: 1, data: 'sealed' });
        await store.createTicket(ticket('t2'), TICKET_TTL);
        await store.putSession('hash-1', { operatorId: 'anna', credential: 'credential-anna', createdAt: clock.now(), lastSeenAt: clock.now() }, TICKET_TTL);
        await store.recordHandleTime('1712', 300);
        clock.advance(HANDLE_TIME_TTL_MS + 1);
        expect(await store.listTickets()).to.deep.equal([]);
        expect(await store.listPresence()).to.deep.equal([]);
        expect(await store.getSession('hash-1')).to.equal(undefined);
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([]);
        expect(await store.recentHandleTimes('1712')).to.deep.equal([]);
      });
    });

    describe('returned and given objects are copies', () => {
      it('[ST70] is not changed by mutating a ticket after creating it', async () => {
        const t = ticket('t1');
        await store.createTicket(t, TICKET_TTL);
        t.state = 'ended';
        t.triedBy.push('anna');
        expect(await store.getTicket('t1')).to.deep.include({ state: 'waiting', triedBy: [] });
      });

      it('[ST71] is not changed by mutating tickets it returned', async () => {
        await offered('t1', 'anna');
        const got = (await store.getTicket('t1'))!;
        got.state = 'active';
        got.offer!.operatorId = 'mallory';
        got.triedBy.push('mallory');
        const [listed] = await store.listTickets();
        listed!.line = '108';
        const t = await store.getTicket('t1');
        expect(t).to.deep.include({ state: 'waiting', line: '1712', triedBy: [] });
        expect(t?.offer?.operatorId).to.equal('anna');
      });

      it('[ST72] is not changed by mutating what accept and end returned', async () => {
        await offered('t1', 'anna');
        const result = await store.acceptOffer('t1', 'anna', 'k', clock.now());
        if (result.ok) result.ticket.operatorId = 'mallory';
        const before = await store.endTicket('t1', 'visitor', clock.now(), GRACE);
        before!.state = 'active';
        expect(await store.getTicket('t1')).to.deep.include({ state: 'ended', operatorId: 'anna' });
      });

      it('[ST73] is not changed by mutating an offer after making it', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        const offer = offerTo('anna');
        await store.offerTicket('t1', offer, clock.now());
        offer.operatorId = 'mallory';
        expect((await store.getTicket('t1'))?.offer?.operatorId).to.equal('anna');
      });

      it('[ST74] is not changed by mutating presence given or returned', async () => {
        const p = profile('anna', { capacity: 1 });
        const upserted = await store.upsertPresence(p, 'available', clock.now(), TICKET_TTL);
        p.capacity = 99;
        p.lines.push('sos-viol');
        upserted.active.push('w');
        upserted.capacity = 98;
        const got = (await store.getPresence('anna'))!;
        got.status = 'offline';
        got.lines.push('108');
        const [listed] = await store.listPresence();
        listed!.active.push('y');
        const set = (await store.setPresenceStatus('anna', 'available', TICKET_TTL))!;
        set.active.push('z');
        set.status = 'away';
        expect(await store.getPresence('anna')).to.deep.include({ capacity: 1, active: [], status: 'available', lines: ['1712'] });
      });

      it('[ST75] is not changed by mutating sessions given or returned', async () => {
        const s = { operatorId: 'anna', credential: 'credential-anna', createdAt: clock.now(), lastSeenAt: clock.now() };
        await store.putSession('hash-1', s, MINUTE);
        s.operatorId = 'mallory';
        const got = (await store.getSession('hash-1'))!;
        got.createdAt = 0;
        expect(await store.getSession('hash-1')).to.deep.equal({ operatorId: 'anna', credential: 'credential-anna', createdAt: clock.now(), lastSeenAt: clock.now() });
      });

      it('[ST76] is not changed by mutating messages given or returned', async () => {
        await store.createTicket(ticket('t1'), TICKET_TTL);
        const m = { seq: 1, data: 'sealed' };
        await store.appendMessage('t1', 'visitor', m);
        m.data = 'changed';
        const got = await store.messagesAfter('t1', 'visitor', 0);
        got[0]!.data = 'changed';
        got.push({ seq: 2, data: 'smuggled' });
        expect(await store.messagesAfter('t1', 'visitor', 0)).to.deep.equal([{ seq: 1, data: 'sealed' }]);
      });

      it('[ST77] is not changed by mutating the handle times it returned', async () => {
        await store.recordHandleTime('1712', 300);
        const got = await store.recentHandleTimes('1712');
        got.push(1);
        got[0] = 0;
        expect(await store.recentHandleTimes('1712')).to.deep.equal([300]);
      });
    });
  });
}
