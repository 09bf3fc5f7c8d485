import { expect } from 'chai';
import { aggregateKeys, dayStart, localDate, quarterStart, quartersOfDay, waitBand, WAIT_BANDS } from '../../../server/stats/aggregates.js';
import { serviceLevel, waitPercentile } from '../../../server/stats/wait-percentiles.js';

const TZ = 'Europe/Brussels';
const queue = { line: '1712', language: 'nl', topic: 'violence', channel: 'chat' as const };

describe('Statistics buckets', () => {
  it('puts an event in its UTC quarter hour, whatever the second', () => {
    expect(new Date(quarterStart(Date.UTC(2026, 10, 23, 10, 14, 59, 999))).toISOString()).to.equal('2026-11-23T10:00:00.000Z');
    expect(new Date(quarterStart(Date.UTC(2026, 10, 23, 10, 15))).toISOString()).to.equal('2026-11-23T10:15:00.000Z');
  });

  it('starts the day at local midnight in Brussels, in winter and in summer', () => {
    expect(new Date(dayStart(Date.UTC(2026, 10, 23, 10), TZ)).toISOString()).to.equal('2026-11-22T23:00:00.000Z');
    expect(new Date(dayStart(Date.UTC(2026, 6, 1, 10), TZ)).toISOString()).to.equal('2026-06-30T22:00:00.000Z');
  });

  it('counts the last second before local midnight in one day and midnight itself in the next', () => {
    const before = Date.UTC(2026, 10, 23, 22, 59, 59);
    const midnight = Date.UTC(2026, 10, 23, 23, 0, 0);
    const [, dayBefore] = aggregateKeys(before, queue, TZ);
    const [quarter, dayAfter] = aggregateKeys(midnight, queue, TZ);
    expect(dayBefore.start).to.equal('2026-11-22T23:00:00.000Z');
    expect(dayAfter.start).to.equal('2026-11-23T23:00:00.000Z');
    expect(quarter).to.include({ start: '2026-11-23T23:00:00.000Z', span: '15m' });
    expect(localDate(before, TZ)).to.equal('2026-11-23');
    expect(localDate(midnight, TZ)).to.equal('2026-11-24');
  });

  it('gives the spring-forward day 92 quarter hours and the fall-back day 100, each from its own midnight', () => {
    const spring = dayStart(Date.UTC(2026, 2, 29, 12), TZ);
    const autumn = dayStart(Date.UTC(2026, 9, 25, 12), TZ);
    expect(new Date(spring).toISOString()).to.equal('2026-03-28T23:00:00.000Z');
    expect(new Date(autumn).toISOString()).to.equal('2026-10-24T22:00:00.000Z');
    expect(quartersOfDay(spring, TZ)).to.have.length(92);
    expect(quartersOfDay(autumn, TZ)).to.have.length(100);
    expect(quartersOfDay(dayStart(Date.UTC(2026, 10, 23, 12), TZ), TZ)).to.have.length(96);
  });

  it('counts an event in the hour that repeats at fall-back in the right day and quarter', () => {
    // 02:30 local happens twice on 25 October 2026: at 00:30 and at 01:30 UTC.
    for (const at of [Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)]) {
      const [quarter, day] = aggregateKeys(at, queue, TZ);
      expect(day.start).to.equal('2026-10-24T22:00:00.000Z');
      expect(quarter.start).to.equal(new Date(at).toISOString());
    }
  });

  it('puts a wait in the first band that holds it, and a wait beyond the last in "inf"', () => {
    expect(waitBand(0)).to.equal('wait:10');
    expect(waitBand(10)).to.equal('wait:10');
    expect(waitBand(10.5)).to.equal('wait:20');
    expect(waitBand(WAIT_BANDS.at(-1)! + 1)).to.equal('wait:inf');
  });
});

describe('Wait percentiles and the service level', () => {
  it('reads the median and the 90th percentile as the upper bound of the band that reaches them', () => {
    const counts = { 'wait:10': 5, 'wait:30': 3, 'wait:120': 1, 'wait:600': 1 };
    expect(waitPercentile(counts, 0.5)).to.equal(10);
    expect(waitPercentile(counts, 0.8)).to.equal(30);
    expect(waitPercentile(counts, 0.9)).to.equal(120);
    expect(waitPercentile(counts, 1)).to.equal(600);
    expect(waitPercentile({}, 0.5)).to.equal(null);
  });

  it('holds abandons against the service level, but not short abandons', () => {
    expect(serviceLevel({ answered: 8, inTarget: 6, abandoned: 2, shortAbandoned: 10 })).to.equal(0.6);
    expect(serviceLevel({ answered: 4, inTarget: 4, shortAbandoned: 3 })).to.equal(1);
    expect(serviceLevel({ shortAbandoned: 3 })).to.equal(null);
  });
});
