import { expect } from 'chai';
import { isOpen, localTime, type Schedule } from '../../server/routing/opening-hours.js';

const BRUSSELS = 'Europe/Brussels';
const at = (iso: string) => Date.parse(iso);

function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    timezone: BRUSSELS,
    hours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
    holidays: [],
    ...overrides,
  };
}

describe('opening hours', () => {
  describe('localTime', () => {
    it('reads date, weekday and time in the line\'s time zone, not in UTC', () => {
      // Sunday 23:30 UTC in winter is already Monday 00:30 in Brussels.
      expect(localTime(at('2026-11-22T23:30:00Z'), BRUSSELS)).to.deep.equal({ date: '2026-11-23', weekday: 1, time: '00:30' });
    });

    it('numbers weekdays 1 = Monday … 7 = Sunday', () => {
      const week = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
      expect(week.map((d) => localTime(at(`${d}T12:00:00Z`), BRUSSELS).weekday)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    });

    it('writes midnight as 00:00, never 24:00', () => {
      expect(localTime(at('2026-11-23T23:00:00Z'), BRUSSELS).time).to.equal('00:00');
    });
  });

  describe('isOpen', () => {
    it('is open from "from" and closed from "to" on a listed weekday', () => {
      // Monday 23 November 2026, winter time: Brussels is UTC+1.
      expect(isOpen(schedule(), at('2026-11-23T07:59:00Z'))).to.equal(false);
      expect(isOpen(schedule(), at('2026-11-23T08:00:00Z'))).to.equal(true);
      expect(isOpen(schedule(), at('2026-11-23T15:59:00Z'))).to.equal(true);
      expect(isOpen(schedule(), at('2026-11-23T16:00:00Z'))).to.equal(false);
    });

    it('is closed on a weekday that is not listed', () => {
      expect(isOpen(schedule(), at('2026-11-22T12:00:00Z'))).to.equal(false); // Sunday
    });

    it('takes 7 to mean Sunday and 1 to mean Monday', () => {
      const sundays = schedule({ hours: [{ days: [7], from: '10:00', to: '12:00' }] });
      expect(isOpen(sundays, at('2026-11-22T10:00:00Z'))).to.equal(true); // Sunday 11:00
      expect(isOpen(sundays, at('2026-11-23T10:00:00Z'))).to.equal(false); // Monday 11:00
      const mondays = schedule({ hours: [{ days: [1], from: '10:00', to: '12:00' }] });
      expect(isOpen(mondays, at('2026-11-23T10:00:00Z'))).to.equal(true);
      expect(isOpen(mondays, at('2026-11-22T10:00:00Z'))).to.equal(false);
    });

    it('uses the local weekday where it differs from the UTC weekday', () => {
      const mondays = schedule({ hours: [{ days: [1], from: '00:00', to: '01:00' }] });
      expect(isOpen(mondays, at('2026-11-22T23:30:00Z'))).to.equal(true); // UTC Sunday, Brussels Monday 00:30
    });

    it('is open until midnight with "24:00", and from midnight with "00:00"', () => {
      const allDayMonday = schedule({ hours: [{ days: [1], from: '00:00', to: '24:00' }] });
      expect(isOpen(allDayMonday, at('2026-11-22T23:00:00Z'))).to.equal(true); // Monday 00:00
      expect(isOpen(allDayMonday, at('2026-11-23T22:59:00Z'))).to.equal(true); // Monday 23:59
      expect(isOpen(allDayMonday, at('2026-11-23T23:00:00Z'))).to.equal(false); // Tuesday 00:00
    });

    it('is open when any one of several periods covers the time', () => {
      const split = schedule({
        hours: [
          { days: [1], from: '09:00', to: '12:00' },
          { days: [1], from: '13:00', to: '17:00' },
        ],
      });
      expect(isOpen(split, at('2026-11-23T10:00:00Z'))).to.equal(true); // 11:00
      expect(isOpen(split, at('2026-11-23T11:30:00Z'))).to.equal(false); // 12:30
      expect(isOpen(split, at('2026-11-23T13:00:00Z'))).to.equal(true); // 14:00
    });

    it('is never open without hours', () => {
      expect(isOpen(schedule({ hours: [] }), at('2026-11-23T12:00:00Z'))).to.equal(false);
    });

    describe('across the daylight-saving change', () => {
      it('opens at 09:00 local in winter time on the Friday before the spring change', () => {
        // Friday 27 March 2026, still UTC+1.
        expect(isOpen(schedule(), at('2026-03-27T07:59:00Z'))).to.equal(false);
        expect(isOpen(schedule(), at('2026-03-27T08:00:00Z'))).to.equal(true);
        expect(isOpen(schedule(), at('2026-03-27T15:59:00Z'))).to.equal(true);
        expect(isOpen(schedule(), at('2026-03-27T16:00:00Z'))).to.equal(false);
      });

      it('opens at 09:00 local in summer time on the Monday after, an hour earlier in UTC', () => {
        // Monday 30 March 2026, now UTC+2.
        expect(isOpen(schedule(), at('2026-03-30T06:59:00Z'))).to.equal(false);
        expect(isOpen(schedule(), at('2026-03-30T07:00:00Z'))).to.equal(true);
        expect(isOpen(schedule(), at('2026-03-30T14:59:00Z'))).to.equal(true);
        expect(isOpen(schedule(), at('2026-03-30T15:00:00Z'))).to.equal(false);
      });

      it('is never open in the hour the spring change skips', () => {
        const skipped = schedule({ hours: [{ days: [7], from: '02:00', to: '03:00' }] });
        expect(isOpen(skipped, at('2026-03-29T00:59:00Z'))).to.equal(false); // 01:59 CET
        expect(isOpen(skipped, at('2026-03-29T01:00:00Z'))).to.equal(false); // 03:00 CEST
      });

      it('is open both times through the hour the autumn change repeats', () => {
        const repeated = schedule({ hours: [{ days: [7], from: '02:00', to: '03:00' }] });
        expect(isOpen(repeated, at('2026-10-25T00:30:00Z'))).to.equal(true); // 02:30 CEST
        expect(isOpen(repeated, at('2026-10-25T01:30:00Z'))).to.equal(true); // 02:30 CET
        expect(isOpen(repeated, at('2026-10-25T02:00:00Z'))).to.equal(false); // 03:00 CET
      });
    });

    describe('holidays', () => {
      const allWeek = schedule({ hours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }], holidays: ['2026-12-25'] });

      it('is closed all day on a holiday, even on a line open around the clock', () => {
        expect(isOpen(allWeek, at('2026-12-25T11:00:00Z'))).to.equal(false);
      });

      it('goes by the local date: closed once Christmas has begun in Brussels, though not yet in UTC', () => {
        expect(isOpen(allWeek, at('2026-12-24T22:59:00Z'))).to.equal(true); // 24 Dec 23:59 local
        expect(isOpen(allWeek, at('2026-12-24T23:00:00Z'))).to.equal(false); // 25 Dec 00:00 local
      });

      it('goes by the local date: open again once the holiday has ended in Brussels, though not yet in UTC', () => {
        expect(isOpen(allWeek, at('2026-12-25T22:59:00Z'))).to.equal(false); // 25 Dec 23:59 local
        expect(isOpen(allWeek, at('2026-12-25T23:00:00Z'))).to.equal(true); // 26 Dec 00:00 local
      });
    });

    it('reads the hours in the schedule\'s own time zone', () => {
      const london = schedule({ timezone: 'Europe/London' });
      // 08:30 UTC on a winter Monday: 08:30 in London (closed), 09:30 in Brussels (open).
      expect(isOpen(london, at('2026-11-23T08:30:00Z'))).to.equal(false);
      expect(isOpen(schedule(), at('2026-11-23T08:30:00Z'))).to.equal(true);
    });
  });
});
