import { expect } from 'chai';
import { AddressKeyer } from '../../server/abuse/address-key.js';
import { ManualClock } from '../../server/clock.js';

const DAY = 24 * 60 * 60 * 1000;

describe('AddressKeyer', () => {
  let clock: ManualClock;
  let keyer: AddressKeyer;

  beforeEach(() => {
    clock = new ManualClock();
    keyer = new AddressKeyer(clock);
  });

  it('gives the same address the same key within a day', () => {
    const first = keyer.keyFor('203.0.113.7');
    clock.advance(DAY - 1);
    expect(keyer.keyFor('203.0.113.7')).to.equal(first);
  });

  it('gives different addresses different keys', () => {
    expect(keyer.keyFor('203.0.113.7')).to.not.equal(keyer.keyFor('203.0.113.8'));
  });

  it('gives the same address a new key after the daily rotation', () => {
    const before = keyer.keyFor('203.0.113.7');
    clock.advance(DAY);
    const after = keyer.keyFor('203.0.113.7');
    expect(after).to.not.equal(before);
    clock.advance(DAY - 1);
    expect(keyer.keyFor('203.0.113.7')).to.equal(after);
  });

  it('rotates at the interval it is given', () => {
    const short = new AddressKeyer(clock, 60_000);
    const before = short.keyFor('203.0.113.7');
    clock.advance(60_000);
    expect(short.keyFor('203.0.113.7')).to.not.equal(before);
  });

  it('gives two servers different keys for one address', () => {
    expect(new AddressKeyer(clock).keyFor('203.0.113.7')).to.not.equal(keyer.keyFor('203.0.113.7'));
  });

  it('does not contain the address, whole or in part', () => {
    for (const address of ['203.0.113.7', '2001:db8::1', '::ffff:198.51.100.23']) {
      const key = keyer.keyFor(address);
      expect(key).to.not.include(address);
      for (const part of address.split(/[.:]/).filter((p) => p.length >= 3)) expect(key).to.not.include(part);
      expect(key).to.not.include(Buffer.from(address).toString('base64url').slice(0, 8));
    }
  });

  it('writes a short URL-safe key of fixed length', () => {
    for (const address of ['1.1.1.1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff']) {
      expect(keyer.keyFor(address)).to.match(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('keys a missing address like any other, without throwing', () => {
    expect(keyer.keyFor(undefined)).to.match(/^[A-Za-z0-9_-]{22}$/);
  });
});
