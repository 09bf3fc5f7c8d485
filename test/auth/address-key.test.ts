import { expect } from 'chai';
import { AddressKeyer, addressBucket } from '../../server/abuse/address-key.js';
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

describe('addressBucket (what one sender controls)', () => {
  it('keeps an IPv4 address whole, also when mapped into IPv6', () => {
    expect(addressBucket('203.0.113.7')).to.equal('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).to.equal('203.0.113.7');
  });

  it('reduces an IPv6 address to its /64, however it is written', () => {
    expect(addressBucket('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).to.equal('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002::1')).to.equal('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).to.equal('2001:db8:0:0::/64');
    expect(addressBucket('::1')).to.equal('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).to.equal('fe80:0:0:0::/64');
  });

  it('gives every address of one /64 the same limit key', async () => {
    const keyer = new AddressKeyer(new ManualClock());
    expect(keyer.keyFor('2001:db8:1:2::1')).to.equal(keyer.keyFor('2001:db8:1:2:ffff::9'));
    expect(keyer.keyFor('2001:db8:1:2::1')).to.not.equal(keyer.keyFor('2001:db8:1:3::1'));
  });
});
