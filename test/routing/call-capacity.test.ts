import { expect } from 'chai';
import { CALL_CAPACITY_RULES, fits, type CallCapacityRule } from '../../server/routing/call-capacity.js';
import { planOffers } from '../../server/routing/plan-offers.js';
import type { OperatorPresence, Ticket } from '../../server/routing/types.js';
import { presence, waitingTicket } from '../support/routing-fixtures.js';

const NOW = Date.UTC(2026, 11, 4, 10, 0, 0);
const MINUTE = 60_000;

const chat = (id: string, age = 1): Ticket => waitingTicket(id, NOW - age * MINUTE);
const call = (id: string, age = 1): Ticket => ({ ...waitingTicket(id, NOW - age * MINUTE), channel: 'call' });
const operator = (id: string, overrides: Partial<OperatorPresence> = {}): OperatorPresence =>
  presence(id, { capacity: 3, idleSince: NOW - 10 * MINUTE, ...overrides });
const offered = (ticket: Ticket, operatorId: string): Ticket => ({ ...ticket, offer: { operatorId, expiresAt: NOW + MINUTE } });

describe('call capacity', () => {
  describe('fits', () => {
    const free = { taken: 0, capacity: 3, onCall: false };
    const withChat = { taken: 1, capacity: 3, onCall: false };
    const onCall = { taken: 1, capacity: 3, onCall: true };
    const table: [string, typeof free, 'chat' | 'call', Record<CallCapacityRule, boolean>][] = [
      ['a chat to a free operator', free, 'chat', { 'blocks-new': true, 'one-place': true, exclusive: true }],
      ['a call to a free operator', free, 'call', { 'blocks-new': true, 'one-place': true, exclusive: true }],
      ['a call beside a chat', withChat, 'call', { 'blocks-new': true, 'one-place': true, exclusive: false }],
      ['a chat beside a call', onCall, 'chat', { 'blocks-new': false, 'one-place': true, exclusive: false }],
      ['a second call', onCall, 'call', { 'blocks-new': false, 'one-place': false, exclusive: false }],
      ['anything at capacity', { taken: 3, capacity: 3, onCall: false }, 'chat', { 'blocks-new': false, 'one-place': false, exclusive: false }],
    ];
    for (const [what, load, channel, expected] of table) {
      for (const rule of CALL_CAPACITY_RULES) {
        it(`${expected[rule] ? 'lets' : 'does not let'} ${what} in under ${rule}`, () => {
          expect(fits(load, channel, rule)).to.equal(expected[rule]);
        });
      }
    }
  });

  describe('planOffers', () => {
    it('offers no chat to an operator on a call under blocks-new, and one under one-place', () => {
      const anna = operator('anna', { active: ['c0'], call: 'c0' });
      expect(planOffers([chat('t1')], [anna], NOW, 'blocks-new')).to.deep.equal([]);
      expect(planOffers([chat('t1')], [anna], NOW, 'one-place')).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });

    it('counts a call offered but not yet accepted as a call: no second call, no chat under blocks-new', () => {
      const tickets = [offered(call('c1', 3), 'anna'), call('c2', 2), chat('t1', 1)];
      expect(planOffers(tickets, [operator('anna')], NOW, 'blocks-new')).to.deep.equal([]);
      expect(planOffers(tickets, [operator('anna')], NOW, 'one-place')).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });

    it('plans one call per operator in a run, passing the second to someone else', () => {
      const plan = planOffers([call('c1', 2), call('c2', 1)], [operator('anna'), operator('bert', { idleSince: NOW - MINUTE })], NOW);
      expect(plan).to.deep.equal([
        { ticketId: 'c1', operatorId: 'anna' },
        { ticketId: 'c2', operatorId: 'bert' },
      ]);
    });

    it('gives a call under exclusive to the operator with nothing else, even if another has been idle longer', () => {
      const busy = operator('anna', { active: ['t0'], idleSince: NOW - 60 * MINUTE });
      const free = operator('bert', { idleSince: NOW - MINUTE });
      expect(planOffers([call('c1')], [busy, free], NOW, 'exclusive')).to.deep.equal([{ ticketId: 'c1', operatorId: 'bert' }]);
    });

    it('lets a call and two chats share one operator with capacity 3 under one-place, and only the call under blocks-new once it is first', () => {
      const tickets = [call('c1', 3), chat('t1', 2), chat('t2', 1)];
      expect(planOffers(tickets, [operator('anna')], NOW, 'one-place')).to.have.length(3);
      expect(planOffers(tickets, [operator('anna')], NOW, 'blocks-new')).to.deep.equal([{ ticketId: 'c1', operatorId: 'anna' }]);
    });
  });
});
