import { expect } from 'chai';
import { DEFAULT_HANDLE_SECONDS, estimateWaitSeconds } from '../../server/routing/wait-estimate.js';
import type { OperatorPresence } from '../../server/routing/types.js';
import { presence } from '../support/routing-fixtures.js';

const queue = { line: '1712', language: 'nl', topic: 'violence' };
const operator = (id: string, overrides: Partial<OperatorPresence> = {}): OperatorPresence => presence(id, { capacity: 2, ...overrides });


describe('estimateWaitSeconds', () => {
  describe('when nobody is staffed for the queue', () => {
    it('cannot estimate when there are no operators', () => {
      expect(estimateWaitSeconds(1, queue, [], [300])).to.equal(null);
    });

    it('cannot estimate when the only operators are away or offline', () => {
      const operators = [operator('anna', { status: 'away' }), operator('ben', { status: 'offline' })];
      expect(estimateWaitSeconds(1, queue, operators, [300])).to.equal(null);
    });

    it('cannot estimate when the operators present serve another line, language or topic', () => {
      const operators = [
        operator('other-line', { lines: ['108'] }),
        operator('other-language', { languages: ['fr'] }),
        operator('other-topic', { topics: ['abuse'] }),
      ];
      expect(estimateWaitSeconds(1, queue, operators, [300])).to.equal(null);
    });

    it('cannot estimate when the staffed operators have no slots at all', () => {
      expect(estimateWaitSeconds(1, queue, [operator('anna', { capacity: 0 })], [300])).to.equal(null);
    });
  });

  describe('when free slots cover the position', () => {
    it('expects an answer at once', () => {
      expect(estimateWaitSeconds(1, queue, [operator('anna', { capacity: 2 })], [300])).to.equal(0);
    });

    it('expects an answer at once for every position up to the number of free slots', () => {
      const operators = [operator('anna', { capacity: 2, active: ['x'] }), operator('ben', { capacity: 2 })];
      expect(estimateWaitSeconds(3, queue, operators, [300])).to.equal(0);
    });
  });

  describe('when the visitor must wait for a slot', () => {
    it('counts a busy operator as staffed, with no free slot', () => {
      const full = operator('anna', { capacity: 1, active: ['x'] });
      expect(estimateWaitSeconds(1, queue, [full], [])).to.equal(DEFAULT_HANDLE_SECONDS);
    });

    it('learns from recent handle times on the line: their average, shared among the slots', () => {
      const operators = [operator('anna', { capacity: 2, active: ['x', 'y'] })];
      // 3 ahead of nobody free, average 450 s, 2 slots: 3 × 450 / 2
      expect(estimateWaitSeconds(3, queue, operators, [300, 600])).to.equal(675);
    });

    it('only counts the positions beyond the free slots', () => {
      const operators = [operator('anna', { capacity: 2, active: ['x'] }), operator('ben', { capacity: 2, active: ['y', 'z'] })];
      // position 3, 1 free slot: 2 waiting for a slot, 4 slots, average 600
      expect(estimateWaitSeconds(3, queue, operators, [600])).to.equal(300);
    });

    it('falls back to DEFAULT_HANDLE_SECONDS before the line has handled any chats', () => {
      const operators = [operator('anna', { capacity: 1, active: ['x'] })];
      expect(estimateWaitSeconds(2, queue, operators, [])).to.equal(2 * DEFAULT_HANDLE_SECONDS);
    });

    it('waits longer the further back the visitor is', () => {
      const operators = [operator('anna', { capacity: 1, active: ['x'] })];
      const second = estimateWaitSeconds(2, queue, operators, [300])!;
      const fifth = estimateWaitSeconds(5, queue, operators, [300])!;
      expect(fifth).to.be.greaterThan(second);
    });

    it('answers in whole seconds', () => {
      const operators = [operator('anna', { capacity: 3, active: ['x', 'y', 'z'] })];
      expect(estimateWaitSeconds(1, queue, operators, [100])).to.equal(33);
    });

    it('ignores the slots of away operators and of operators on other queues', () => {
      const operators = [
        operator('anna', { capacity: 1, active: ['x'] }),
        operator('away', { status: 'away', capacity: 5 }),
        operator('other', { lines: ['108'], capacity: 5 }),
      ];
      expect(estimateWaitSeconds(1, queue, operators, [300])).to.equal(300);
    });
  });

  it('uses twelve minutes as the default handle time', () => {
    expect(DEFAULT_HANDLE_SECONDS).to.equal(12 * 60);
  });
});
