import { expect } from 'chai';
import { planOffers } from '../../server/routing/plan-offers.js';
import type { OperatorPresence, Ticket } from '../../server/routing/types.js';
import { presence, waitingTicket } from '../support/routing-fixtures.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const MINUTE = 60_000;

const ticket = (id: string, overrides: Partial<Ticket> = {}): Ticket => waitingTicket(id, NOW - MINUTE, overrides);
const operator = (id: string, overrides: Partial<OperatorPresence> = {}): OperatorPresence =>
  presence(id, { idleSince: NOW - 10 * MINUTE, ...overrides });



describe('planOffers', () => {
  describe('eligibility', () => {
    it('offers a ticket to an operator whose line, language and topic all match', () => {
      expect(planOffers([ticket('t1')], [operator('anna')], NOW)).to.deep.equal([
        { ticketId: 't1', operatorId: 'anna' },
      ]);
    });

    it('does not offer a ticket on a line the operator does not serve', () => {
      expect(planOffers([ticket('t1')], [operator('anna', { lines: ['108'] })], NOW)).to.deep.equal([]);
    });

    it('does not offer a ticket in a language the operator does not speak', () => {
      expect(planOffers([ticket('t1', { language: 'fr' })], [operator('anna')], NOW)).to.deep.equal([]);
    });

    it('does not offer a ticket on a topic the operator does not take', () => {
      expect(planOffers([ticket('t1', { topic: 'abuse' })], [operator('anna')], NOW)).to.deep.equal([]);
    });

    it('chooses the one eligible operator over an ineligible one with more spare capacity', () => {
      const plan = planOffers(
        [ticket('t1')],
        [operator('fr-only', { languages: ['fr'], capacity: 5 }), operator('anna')],
        NOW,
      );
      expect(plan).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });
  });

  describe('order of tickets', () => {
    it('offers the oldest ticket first', () => {
      const tickets = [
        ticket('newest', { createdAt: NOW - 1 * MINUTE }),
        ticket('oldest', { createdAt: NOW - 9 * MINUTE }),
        ticket('middle', { createdAt: NOW - 5 * MINUTE }),
      ];
      expect(planOffers(tickets, [operator('anna')], NOW)).to.deep.equal([{ ticketId: 'oldest', operatorId: 'anna' }]);
    });

    it('plans tickets oldest first when there is room for all of them', () => {
      const tickets = [
        ticket('b', { createdAt: NOW - 2 * MINUTE }),
        ticket('a', { createdAt: NOW - 3 * MINUTE }),
        ticket('c', { createdAt: NOW - 1 * MINUTE }),
      ];
      const plan = planOffers(tickets, [operator('anna', { capacity: 3 })], NOW);
      expect(plan.map((p) => p.ticketId)).to.deep.equal(['a', 'b', 'c']);
    });

    it('keeps the listed (creation) order for tickets created in the same millisecond, not their ids', () => {
      const tickets = [ticket('zz-first', { createdAt: NOW }), ticket('aa-second', { createdAt: NOW })];
      expect(planOffers(tickets, [operator('anna')], NOW)).to.deep.equal([{ ticketId: 'zz-first', operatorId: 'anna' }]);
    });

    it('still offers a younger ticket that someone can take when the oldest cannot be taken by anyone', () => {
      const tickets = [
        ticket('old-fr', { createdAt: NOW - 9 * MINUTE, language: 'fr' }),
        ticket('young-nl', { createdAt: NOW - 1 * MINUTE }),
      ];
      expect(planOffers(tickets, [operator('anna')], NOW)).to.deep.equal([{ ticketId: 'young-nl', operatorId: 'anna' }]);
    });
  });

  describe('choice of operator', () => {
    it('prefers the operator with the most spare capacity', () => {
      const plan = planOffers(
        [ticket('t1')],
        [
          operator('busy', { capacity: 3, active: ['x1', 'x2'], idleSince: NOW - 60 * MINUTE }),
          operator('free', { capacity: 3, active: ['x3'], idleSince: NOW }),
        ],
        NOW,
      );
      expect(plan).to.deep.equal([{ ticketId: 't1', operatorId: 'free' }]);
    });

    it('among equally free operators prefers the one idle longest', () => {
      const plan = planOffers(
        [ticket('t1')],
        [
          operator('recent', { idleSince: NOW - 1 * MINUTE }),
          operator('longest', { idleSince: NOW - 30 * MINUTE }),
          operator('middle', { idleSince: NOW - 10 * MINUTE }),
        ],
        NOW,
      );
      expect(plan).to.deep.equal([{ ticketId: 't1', operatorId: 'longest' }]);
    });

    it('spreads several tickets over operators instead of filling one first', () => {
      const plan = planOffers(
        [ticket('t1', { createdAt: NOW - 2 * MINUTE }), ticket('t2', { createdAt: NOW - 1 * MINUTE })],
        [operator('anna', { capacity: 2, idleSince: NOW - 5 * MINUTE }), operator('ben', { capacity: 2, idleSince: NOW })],
        NOW,
      );
      expect(plan).to.deep.equal([
        { ticketId: 't1', operatorId: 'anna' },
        { ticketId: 't2', operatorId: 'ben' },
      ]);
    });

    it('gives nothing to an operator who is away', () => {
      expect(planOffers([ticket('t1')], [operator('anna', { status: 'away' })], NOW)).to.deep.equal([]);
    });

    it('gives nothing to an operator who is offline', () => {
      expect(planOffers([ticket('t1')], [operator('anna', { status: 'offline' })], NOW)).to.deep.equal([]);
    });

    it('gives nothing to an operator whose chats fill their capacity', () => {
      expect(planOffers([ticket('t1')], [operator('anna', { capacity: 2, active: ['a', 'b'] })], NOW)).to.deep.equal([]);
    });
  });

  describe('offers in flight', () => {
    it('counts a live offer as holding one of the operator\'s slots', () => {
      const offered = ticket('offered', {
        createdAt: NOW - 5 * MINUTE,
        offer: { operatorId: 'anna', expiresAt: NOW + 10_000 },
      });
      expect(planOffers([offered, ticket('t2')], [operator('anna', { capacity: 1 })], NOW)).to.deep.equal([]);
    });

    it('does not offer a ticket again while its offer is live', () => {
      const offered = ticket('offered', { offer: { operatorId: 'anna', expiresAt: NOW + 10_000 } });
      expect(planOffers([offered], [operator('anna', { capacity: 2 }), operator('ben')], NOW)).to.deep.equal([]);
    });

    it('no longer counts an offer once it has expired, and offers that ticket again', () => {
      const expired = ticket('t1', { offer: { operatorId: 'anna', expiresAt: NOW - 1 } });
      expect(planOffers([expired], [operator('anna')], NOW)).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });

    it('treats an offer as expired at the very instant it expires', () => {
      const expiring = ticket('t1', { offer: { operatorId: 'anna', expiresAt: NOW } });
      expect(planOffers([expiring], [operator('anna')], NOW)).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });

    it('lets an expired offer free the slot for another ticket', () => {
      const expired = ticket('other', {
        createdAt: NOW - 5 * MINUTE,
        line: '108',
        offer: { operatorId: 'anna', expiresAt: NOW - 1 },
      });
      expect(planOffers([expired, ticket('t1')], [operator('anna')], NOW)).to.deep.equal([
        { ticketId: 't1', operatorId: 'anna' },
      ]);
    });
  });

  describe('operators who already let a ticket pass', () => {
    it('offers the ticket to someone who has not had it yet, even if they are less free', () => {
      const plan = planOffers(
        [ticket('t1', { triedBy: ['anna'] })],
        [
          operator('anna', { capacity: 3, idleSince: NOW - 60 * MINUTE }),
          operator('ben', { capacity: 1, idleSince: NOW }),
        ],
        NOW,
      );
      expect(plan).to.deep.equal([{ ticketId: 't1', operatorId: 'ben' }]);
    });

    it('offers it again to an operator who already had it when nobody else can take it', () => {
      const plan = planOffers(
        [ticket('t1', { triedBy: ['anna'] })],
        [operator('anna'), operator('ben', { status: 'away' }), operator('cleo', { languages: ['fr'] })],
        NOW,
      );
      expect(plan).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });

    it('offers it again to an operator who already had it when the others are full', () => {
      const plan = planOffers(
        [ticket('t1', { triedBy: ['anna'] })],
        [operator('anna'), operator('ben', { active: ['busy'] })],
        NOW,
      );
      expect(plan).to.deep.equal([{ ticketId: 't1', operatorId: 'anna' }]);
    });
  });

  describe('capacity within one plan', () => {
    it('never plans more offers for an operator than their free slots', () => {
      const tickets = Array.from({ length: 10 }, (_, i) => ticket(`t${i}`, { createdAt: NOW - (10 - i) * MINUTE }));
      const plan = planOffers(tickets, [operator('anna', { capacity: 3, active: ['x'] })], NOW);
      expect(plan.map((p) => p.ticketId)).to.deep.equal(['t0', 't1']);
    });

    it('never exceeds any operator\'s capacity across many tickets and operators', () => {
      const tickets = Array.from({ length: 20 }, (_, i) => ticket(`t${String(i).padStart(2, '0')}`, { createdAt: NOW - i }));
      const operators = [
        operator('anna', { capacity: 2 }),
        operator('ben', { capacity: 3, active: ['x1'] }),
        operator('cleo', { capacity: 1 }),
      ];
      const liveOffer = ticket('held', { createdAt: NOW - 100, offer: { operatorId: 'cleo', expiresAt: NOW + 1 } });
      const plan = planOffers([...tickets, liveOffer], operators, NOW);
      const perOperator = new Map<string, number>();
      for (const p of plan) perOperator.set(p.operatorId, (perOperator.get(p.operatorId) ?? 0) + 1);
      expect(Object.fromEntries(perOperator)).to.deep.equal({ anna: 2, ben: 2 });
      expect(new Set(plan.map((p) => p.ticketId)).size).to.equal(plan.length);
    });

    it('offers each ticket at most once', () => {
      const plan = planOffers([ticket('t1')], [operator('anna'), operator('ben'), operator('cleo')], NOW);
      expect(plan).to.have.length(1);
    });
  });

  describe('tickets that are not waiting', () => {
    it('does not offer an active ticket', () => {
      const active = ticket('t1', { state: 'active', operatorId: 'ben' });
      expect(planOffers([active], [operator('anna')], NOW)).to.deep.equal([]);
    });

    it('does not offer an ended ticket', () => {
      const ended = ticket('t1', { state: 'ended', endedBy: 'visitor', endedAt: NOW - 1 });
      expect(planOffers([ended], [operator('anna')], NOW)).to.deep.equal([]);
    });

    it('does not let an ended ticket that still carries an offer hold a slot', () => {
      const ended = ticket('t0', { state: 'ended', offer: { operatorId: 'anna', expiresAt: NOW + 10_000 } });
      expect(planOffers([ended, ticket('t1')], [operator('anna')], NOW)).to.deep.equal([
        { ticketId: 't1', operatorId: 'anna' },
      ]);
    });
  });

  it('plans nothing when there are no tickets or no operators', () => {
    expect(planOffers([], [operator('anna')], NOW)).to.deep.equal([]);
    expect(planOffers([ticket('t1')], [], NOW)).to.deep.equal([]);
  });
});
