import { expect } from 'chai';
import { agentsNeeded, averageSpeedOfAnswer, erlangC, offeredLoad, serviceLevel } from '../../../server/stats/erlang-c.js';

// The published example: 100 contacts in 30 minutes, 3-minute handle time, 80 % within 20 s.
const example = { arrivals: 100, periodSeconds: 1800, handleSeconds: 180 };
const exampleTarget = { ...example, targetSeconds: 20 };
// A helpline where an hour-long conversation is common: 400 contacts an hour, 60 minutes each.
const longCalls = { arrivals: 400, periodSeconds: 3600, handleSeconds: 3600, targetSeconds: 20 };

function expectProbability(value: number): void {
  expect(Number.isFinite(value), `${value} is finite`).to.equal(true);
  expect(value).to.be.within(0, 1);
}

describe('Erlang C staffing estimate', () => {
  describe('against the published values', () => {
    it('offers a load of 10 Erlangs', () => {
      expect(offeredLoad(example)).to.equal(10);
    });

    it('gives 13 agents a 79.6 % service level, a 0.285 chance of waiting and a 17.1 s average speed of answer', () => {
      expect(serviceLevel({ ...exampleTarget, agents: 13 })).to.be.closeTo(0.796, 0.0006);
      expect(erlangC({ ...example, agents: 13 })).to.be.closeTo(0.285, 0.0006);
      expect(averageSpeedOfAnswer({ ...example, agents: 13 })).to.be.closeTo(17.1, 0.06);
    });

    it('gives 14 agents an 88.8 % service level and a 0.174 chance of waiting', () => {
      expect(serviceLevel({ ...exampleTarget, agents: 14 })).to.be.closeTo(0.888, 0.0006);
      expect(erlangC({ ...example, agents: 14 })).to.be.closeTo(0.174, 0.0006);
    });

    it('gives 15 agents a 94.1 % service level and a 0.102 chance of waiting', () => {
      expect(serviceLevel({ ...exampleTarget, agents: 15 })).to.be.closeTo(0.941, 0.0006);
      expect(erlangC({ ...example, agents: 15 })).to.be.closeTo(0.102, 0.0006);
    });

    it('needs 14 agents for 80 % within 20 s, because 13 reach only 79.6 %', () => {
      expect(agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0.8 })).to.equal(14);
    });

    it('needs 15 agents for 90 % within 20 s', () => {
      expect(agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0.9 })).to.equal(15);
    });
  });

  describe('with more agents', () => {
    it('makes waiting less likely and service better with every agent added', () => {
      let previous = { wait: 1, level: 0, asa: Infinity };
      for (let agents = 11; agents <= 30; agents++) {
        const now = {
          wait: erlangC({ ...example, agents }),
          level: serviceLevel({ ...exampleTarget, agents }),
          asa: averageSpeedOfAnswer({ ...example, agents }),
        };
        expect(now.wait).to.be.below(previous.wait);
        expect(now.level).to.be.above(previous.level);
        expect(now.asa).to.be.below(previous.asa);
        previous = now;
      }
    });
  });

  describe('long helpline conversations', () => {
    it('stays finite and within [0, 1] at 400 Erlangs with 420 to 450 agents', () => {
      expect(offeredLoad(longCalls)).to.equal(400);
      for (let agents = 420; agents <= 450; agents++) {
        expectProbability(erlangC({ ...longCalls, agents }));
        expectProbability(serviceLevel({ ...longCalls, agents }));
        const asa = averageSpeedOfAnswer({ ...longCalls, agents });
        expect(Number.isFinite(asa)).to.equal(true);
        expect(asa).to.be.at.least(0);
      }
    });

    it('finds how many agents 400 Erlangs need, just above the load', () => {
      const needed = agentsNeeded({ ...longCalls, serviceLevelTarget: 0.8 });
      expect(needed).to.be.a('number').within(401, 450);
      expect(serviceLevel({ ...longCalls, agents: needed! })).to.be.at.least(0.8);
      expect(serviceLevel({ ...longCalls, agents: needed! - 1 })).to.be.below(0.8);
    });

    it('stays finite at 5000 Erlangs', () => {
      const huge = { arrivals: 5000, periodSeconds: 3600, handleSeconds: 3600, targetSeconds: 20 };
      for (const agents of [5001, 5050, 5100, 6000]) {
        expectProbability(erlangC({ ...huge, agents }));
        expectProbability(serviceLevel({ ...huge, agents }));
        expect(Number.isFinite(averageSpeedOfAnswer({ ...huge, agents }))).to.equal(true);
      }
      const needed = agentsNeeded({ ...huge, serviceLevelTarget: 0.8 });
      expect(needed).to.be.a('number').within(5001, 5200);
    });
  });

  describe('an unstable queue (no more agents than the offered load)', () => {
    it('makes every contact wait', () => {
      expect(erlangC({ ...example, agents: 10 })).to.equal(1);
      expect(erlangC({ ...example, agents: 3 })).to.equal(1);
      expect(erlangC({ ...example, agents: 0 })).to.equal(1);
    });

    it('answers no one within the target', () => {
      expect(serviceLevel({ ...exampleTarget, agents: 10 })).to.equal(0);
      expect(serviceLevel({ ...exampleTarget, agents: 0 })).to.equal(0);
    });

    it('has an infinite average speed of answer', () => {
      expect(averageSpeedOfAnswer({ ...example, agents: 10 })).to.equal(Infinity);
    });
  });

  describe('unreachable targets', () => {
    it('returns null when no agent count up to maxAgents reaches the target', () => {
      expect(agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0.8, maxAgents: 13 })).to.equal(null);
      expect(agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0.8, maxAgents: 5 })).to.equal(null);
    });

    it('returns the answer when maxAgents is exactly enough', () => {
      expect(agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0.8, maxAgents: 14 })).to.equal(14);
    });
  });

  describe('with no arrivals', () => {
    const quiet = { arrivals: 0, periodSeconds: 3600, handleSeconds: 600, targetSeconds: 60 };

    it('needs no agents', () => {
      expect(agentsNeeded({ ...quiet, serviceLevelTarget: 0.8 })).to.equal(0);
    });

    it('makes no one wait, with or without agents', () => {
      expect(erlangC({ ...quiet, agents: 0 })).to.equal(0);
      expect(erlangC({ ...quiet, agents: 3 })).to.equal(0);
      expect(serviceLevel({ ...quiet, agents: 0 })).to.equal(1);
      expect(averageSpeedOfAnswer({ ...quiet, agents: 0 })).to.equal(0);
    });
  });

  describe('invalid input', () => {
    const bad: Array<[string, () => unknown, RegExp]> = [
      ['negative arrivals', () => erlangC({ ...example, arrivals: -1, agents: 13 }), /arrivals/],
      ['NaN arrivals', () => erlangC({ ...example, arrivals: NaN, agents: 13 }), /arrivals/],
      ['infinite arrivals', () => erlangC({ ...example, arrivals: Infinity, agents: 13 }), /arrivals/],
      ['a zero period', () => erlangC({ ...example, periodSeconds: 0, agents: 13 }), /periodSeconds/],
      ['a zero handle time', () => serviceLevel({ ...exampleTarget, handleSeconds: 0, agents: 13 }), /handleSeconds/],
      ['negative agents', () => erlangC({ ...example, agents: -1 }), /agents/],
      ['a fraction of an agent', () => averageSpeedOfAnswer({ ...example, agents: 12.5 }), /agents/],
      ['a negative target time', () => serviceLevel({ ...example, targetSeconds: -5, agents: 13 }), /targetSeconds/],
      ['a service-level target of 0', () => agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0 }), /serviceLevelTarget/],
      ['a service-level target above 1', () => agentsNeeded({ ...exampleTarget, serviceLevelTarget: 80 }), /serviceLevelTarget/],
      ['a fractional maxAgents', () => agentsNeeded({ ...exampleTarget, serviceLevelTarget: 0.8, maxAgents: 2.5 }), /maxAgents/],
    ];
    for (const [what, call, message] of bad) {
      it(`throws a RangeError for ${what}`, () => {
        expect(call).to.throw(RangeError, message);
      });
    }
  });
});
