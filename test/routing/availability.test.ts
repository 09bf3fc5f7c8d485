import { expect } from 'chai';
import { anyoneOnDuty, languagesOnDuty, onDuty } from '../../server/routing/availability.js';
import { queueStaffing } from '../../server/routing/wait-estimate.js';
import { presence } from '../support/routing-fixtures.js';

const queue = { line: '1712', language: 'nl', topic: 'violence' };
const stopItNow = { id: 'stop-it-now', languages: ['fr', 'nl'], topics: ['attraction-to-minors'] };
const sin = { lines: ['stop-it-now'], topics: ['attraction-to-minors'] };

describe('Who is on duty', () => {
  it('counts an available operator as on duty, and one away or offline as not', () => {
    expect(onDuty(presence('anna'))).to.equal(true);
    expect(onDuty(presence('anna', { status: 'away' }))).to.equal(false);
    expect(onDuty(presence('anna', { status: 'offline' }))).to.equal(false);
  });

  describe('anyoneOnDuty', () => {
    it('is false when nobody is signed in', () => {
      expect(anyoneOnDuty([], queue)).to.equal(false);
    });

    it('is true for an eligible available operator with a free slot', () => {
      expect(anyoneOnDuty([presence('anna')], queue)).to.equal(true);
    });

    it('is still true when that operator is busy at capacity: the estimate covers the wait', () => {
      expect(anyoneOnDuty([presence('anna', { capacity: 1, active: ['c1'] })], queue)).to.equal(true);
    });

    it('is false when the only eligible operators are away or offline', () => {
      expect(anyoneOnDuty([presence('anna', { status: 'away' }), presence('ben', { status: 'offline' })], queue)).to.equal(false);
    });

    it('follows the routing rule: line, language and topic must all match', () => {
      const others = [
        presence('other-line', { lines: ['108'] }),
        presence('other-language', { languages: ['fr'] }),
        presence('other-topic', { topics: ['abuse'] }),
      ];
      expect(anyoneOnDuty(others, queue)).to.equal(false);
    });

    it('agrees with the staffing the estimate uses', () => {
      const cases = [[], [presence('anna')], [presence('anna', { status: 'away' })], [presence('anna', { capacity: 0 })], [presence('x', { topics: ['abuse'] })]];
      for (const operators of cases) expect(anyoneOnDuty(operators, queue)).to.equal(queueStaffing(operators, queue).slots > 0);
    });
  });

  describe('languagesOnDuty', () => {
    it('lists none when nobody of the line is available', () => {
      expect(languagesOnDuty(stopItNow, [presence('anna', { ...sin, languages: ['fr', 'nl'], status: 'away' })])).to.deep.equal([]);
    });

    it("lists the languages someone available writes, in the line's order", () => {
      const operators = [presence('anna', { ...sin, languages: ['nl', 'fr'] })];
      expect(languagesOnDuty(stopItNow, operators)).to.deep.equal(['fr', 'nl']);
    });

    it('leaves out a language whose operators are all away', () => {
      const operators = [presence('anna', { ...sin, languages: ['nl'] }), presence('bea', { ...sin, languages: ['fr'], status: 'away' })];
      expect(languagesOnDuty(stopItNow, operators)).to.deep.equal(['nl']);
    });

    it("counts an operator of any of the line's topics, not of another line", () => {
      const line108 = { id: '108', languages: ['de'], topics: ['family-violence', 'partner-violence'] };
      expect(languagesOnDuty(line108, [presence('dora', { lines: ['108'], languages: ['de'], topics: ['partner-violence'] })])).to.deep.equal(['de']);
      expect(languagesOnDuty(line108, [presence('emil', { lines: ['1712'], languages: ['de'], topics: ['partner-violence'] })])).to.deep.equal([]);
    });

    it('does not list a language the line does not offer, whatever the operator writes', () => {
      expect(languagesOnDuty(stopItNow, [presence('anna', { ...sin, languages: ['en'] })])).to.deep.equal([]);
    });
  });
});
