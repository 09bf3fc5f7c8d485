import { expect } from 'chai';
import { hashPassword, isPasswordHash, MIN_PASSWORD_LENGTH, OWASP_SCRYPT, verifyPassword } from '../../server/auth/password.js';

/** Cheap parameters: the same code path as production, a thousandth of the work. */
const CHEAP = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'correct horse battery staple';

describe('operator passwords', () => {
  let stored: string;
  before(async () => {
    stored = await hashPassword(PASSWORD, CHEAP);
  });

  it('verifies the password a hash was made from', async () => {
    expect(await verifyPassword(PASSWORD, stored)).to.equal(true);
  });

  it('refuses a wrong password', async () => {
    expect(await verifyPassword('correct horse battery stapler', stored)).to.equal(false);
    expect(await verifyPassword('', stored)).to.equal(false);
  });

  it('treats the same password in composed and decomposed Unicode alike', async () => {
    const composed = 'café au lait 1712'; // é as one code point
    const decomposed = composed.normalize('NFD');
    expect(decomposed).to.not.equal(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed, CHEAP))).to.equal(true);
  });

  it('writes scrypt$N$r$p$salt$hash with the parameters it used', () => {
    expect(isPasswordHash(stored)).to.equal(true);
    expect(stored.split('$').slice(0, 4)).to.deep.equal(['scrypt', '1024', '8', '1']);
  });

  it('does not contain the password in any form', () => {
    expect(stored).to.not.include(PASSWORD);
    expect(stored).to.not.include(Buffer.from(PASSWORD).toString('base64url'));
    expect(stored).to.not.include(Buffer.from(PASSWORD).toString('hex'));
  });

  it('salts every hash: the same password never hashes the same twice', async () => {
    const again = await hashPassword(PASSWORD, CHEAP);
    expect(again).to.not.equal(stored);
    expect(again.split('$')[4]).to.not.equal(stored.split('$')[4]);
    expect(await verifyPassword(PASSWORD, again)).to.equal(true);
  });

  it('refuses a malformed hash instead of throwing', async () => {
    const [, , , , salt, hash] = stored.split('$');
    for (const malformed of [
      '',
      PASSWORD,
      'scrypt$1024$8$1$' + salt, // no hash
      `bcrypt$1024$8$1$${salt}$${hash}`,
      `scrypt$N$8$1$${salt}$${hash}`,
      `scrypt$1024$8$1$${salt}$${hash}$extra`,
      `scrypt$1024$8$1$${salt}$${hash}==`,
    ]) {
      expect(await verifyPassword(PASSWORD, malformed), malformed).to.equal(false);
    }
  });

  it('refuses a hash whose stored key was cut short', async () => {
    expect(await verifyPassword(PASSWORD, stored.slice(0, -10))).to.equal(false);
  });

  it('refuses a hash whose salt was changed', async () => {
    const parts = stored.split('$');
    parts[4] = 'AAAAAAAAAAAAAAAAAAAAAA';
    expect(await verifyPassword(PASSWORD, parts.join('$'))).to.equal(false);
  });

  // Once a bug: parameters scrypt refuses (N not a power of two, N=0, r=0) pass
  // isPasswordHash — and so the operators file — but make verifyPassword reject with
  // ERR_CRYPTO_INVALID_SCRYPT_PARAMS instead of returning false.
  it('refuses a well-formed hash with impossible parameters instead of throwing', async () => {
    const [, , , , salt, hash] = stored.split('$');
    for (const bad of [`scrypt$1000$8$1$${salt}$${hash}`, `scrypt$0$8$1$${salt}$${hash}`, `scrypt$1024$0$1$${salt}$${hash}`]) {
      expect(await verifyPassword(PASSWORD, bad), bad).to.equal(false);
    }
  });

  it('defaults to OWASP\'s scrypt parameters: N = 2^17, r = 8, p = 1', () => {
    expect(OWASP_SCRYPT).to.deep.equal({ N: 2 ** 17, r: 8, p: 1 });
  });

  it('hashes with the OWASP parameters when given none', async function () {
    this.timeout(30_000); // one derivation at production cost, and only one
    const real = await hashPassword(PASSWORD);
    expect(real.split('$').slice(0, 4)).to.deep.equal(['scrypt', String(2 ** 17), '8', '1']);
    expect(isPasswordHash(real)).to.equal(true);
  });

  it('asks for at least 12 characters, and nothing else', () => {
    expect(MIN_PASSWORD_LENGTH).to.equal(12);
  });
});
