import { expect } from 'chai';
import { queuePositions } from '../../server/routing/queue-position.js';
import { waitingTicket } from '../support/routing-fixtures.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const ticket = waitingTicket;


describe('queuePositions', () => {
  it('numbers waiting tickets from 1, oldest first', () => {
    const positions = queuePositions([ticket('c', NOW - 1), ticket('a', NOW - 3), ticket('b', NOW - 2)]);
    expect(Object.fromEntries(positions)).to.deep.equal({ a: 1, b: 2, c: 3 });
  });

  it('keeps a separate queue per line', () => {
    const positions = queuePositions([
      ticket('a', NOW - 4, { line: '1712' }),
      ticket('b', NOW - 3, { line: '108', language: 'nl' }),
      ticket('c', NOW - 2, { line: '1712' }),
      ticket('d', NOW - 1, { line: '108', language: 'nl' }),
    ]);
    expect(Object.fromEntries(positions)).to.deep.equal({ a: 1, b: 1, c: 2, d: 2 });
  });

  it('keeps a separate queue per language on the same line', () => {
    const positions = queuePositions([
      ticket('nl1', NOW - 4, { line: 'stop-it-now', language: 'nl' }),
      ticket('fr1', NOW - 3, { line: 'stop-it-now', language: 'fr' }),
      ticket('fr2', NOW - 2, { line: 'stop-it-now', language: 'fr' }),
      ticket('nl2', NOW - 1, { line: 'stop-it-now', language: 'nl' }),
    ]);
    expect(Object.fromEntries(positions)).to.deep.equal({ nl1: 1, fr1: 1, fr2: 2, nl2: 2 });
  });

  it('shares one queue across topics of the same line and language', () => {
    const positions = queuePositions([ticket('a', NOW - 2, { topic: 'violence' }), ticket('b', NOW - 1, { topic: 'abuse' })]);
    expect(Object.fromEntries(positions)).to.deep.equal({ a: 1, b: 2 });
  });

  it('does not confuse line and language that would concatenate to the same text', () => {
    const positions = queuePositions([ticket('a', NOW - 2, { line: 'ab', language: 'cd' }), ticket('b', NOW - 1, { line: 'abc', language: 'd' })]);
    expect(Object.fromEntries(positions)).to.deep.equal({ a: 1, b: 1 });
  });

  it('counts a ticket with an offer in flight as still waiting', () => {
    const positions = queuePositions([
      ticket('offered', NOW - 2, { offer: { operatorId: 'anna', expiresAt: NOW + 10_000 } }),
      ticket('next', NOW - 1),
    ]);
    expect(Object.fromEntries(positions)).to.deep.equal({ offered: 1, next: 2 });
  });

  it('leaves active and ended tickets out of the queue and out of the count', () => {
    const positions = queuePositions([
      ticket('active', NOW - 3, { state: 'active', operatorId: 'anna' }),
      ticket('ended', NOW - 2, { state: 'ended', endedBy: 'visitor' }),
      ticket('waiting', NOW - 1),
    ]);
    expect(Object.fromEntries(positions)).to.deep.equal({ waiting: 1 });
  });

  it('keeps the listed (creation) order for tickets created in the same millisecond', () => {
    const positions = queuePositions([ticket('zz', NOW), ticket('aa', NOW)]);
    expect(Object.fromEntries(positions)).to.deep.equal({ zz: 1, aa: 2 });
  });

  it('returns no positions when nobody waits', () => {
    expect(queuePositions([]).size).to.equal(0);
  });
});
