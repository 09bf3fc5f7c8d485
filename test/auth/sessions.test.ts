import { expect } from 'chai';
import { credentialOf, hashToken, Sessions } from '../../server/auth/sessions.js';
import { ManualClock } from '../../server/clock.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import type { Store } from '../../server/store/store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const HASH = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
const TIMEOUTS = { idleMs: 30 * MINUTE, absoluteMs: 12 * HOUR };

/** A store that also remembers every argument it was ever given. */
function recording(store: Store): { store: Store; seen: unknown[] } {
  const seen: unknown[] = [];
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        seen.push(prop, ...args);
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, seen };
}

describe('Sessions', () => {
  let clock: ManualClock;
  let memory: MemoryStore;
  let seen: unknown[];
  let sessions: Sessions;

  beforeEach(async () => {
    clock = new ManualClock();
    memory = new MemoryStore(clock);
    await memory.init();
    const r = recording(memory);
    seen = r.seen;
    sessions = new Sessions(r.store, clock, TIMEOUTS);
  });

  afterEach(() => memory.close());

  it('accepts a new session\'s token for its operator', async () => {
    const token = await sessions.create('anna', HASH);
    const check = await sessions.check(token);
    expect(check.ok).to.equal(true);
    if (check.ok) expect(check.session).to.deep.equal({ operatorId: 'anna', credential: credentialOf(HASH), createdAt: clock.now(), lastSeenAt: clock.now() });
  });

  it('makes a different, unguessably long token every time', async () => {
    const a = await sessions.create('anna', HASH);
    const b = await sessions.create('anna', HASH);
    expect(a).to.not.equal(b);
    expect(Buffer.from(a, 'base64url')).to.have.length(32);
  });

  it('calls a request without a token missing, and an unknown token expired', async () => {
    expect(await sessions.check(undefined)).to.deep.equal({ ok: false, reason: 'missing' });
    expect(await sessions.check('')).to.deep.equal({ ok: false, reason: 'missing' });
    expect(await sessions.check('made-up-token')).to.deep.equal({ ok: false, reason: 'expired' });
  });

  describe('idle timeout', () => {
    it('keeps a session used within the idle time', async () => {
      const token = await sessions.create('anna', HASH);
      clock.advance(TIMEOUTS.idleMs - 1);
      expect((await sessions.check(token)).ok).to.equal(true);
    });

    it('ends a session left idle for the idle time', async () => {
      const token = await sessions.create('anna', HASH);
      clock.advance(TIMEOUTS.idleMs);
      expect(await sessions.check(token)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('restarts the idle time on every check', async () => {
      const token = await sessions.create('anna', HASH);
      for (let i = 0; i < 5; i++) {
        clock.advance(TIMEOUTS.idleMs - MINUTE);
        const check = await sessions.check(token);
        expect(check.ok, `check ${i + 1}`).to.equal(true);
        if (check.ok) expect(check.session.lastSeenAt).to.equal(clock.now());
      }
    });

    it('stays ended: a late check does not revive it', async () => {
      const token = await sessions.create('anna', HASH);
      clock.advance(TIMEOUTS.idleMs);
      await sessions.check(token);
      expect((await sessions.check(token)).ok).to.equal(false);
      expect(await memory.getSession(hashToken(token))).to.equal(undefined);
    });
  });

  describe('absolute timeout', () => {
    /** Check the token every 20 minutes, as an active console would, until `untilMs` after creation. */
    async function keepActive(token: string, createdAt: number, untilMs: number): Promise<void> {
      while (clock.now() + 20 * MINUTE < createdAt + untilMs) {
        clock.advance(20 * MINUTE);
        expect((await sessions.check(token)).ok, `at ${(clock.now() - createdAt) / MINUTE} min`).to.equal(true);
      }
    }

    it('ends a session at its absolute lifetime even with steady activity', async () => {
      const createdAt = clock.now();
      const token = await sessions.create('anna', HASH);
      await keepActive(token, createdAt, TIMEOUTS.absoluteMs);
      clock.advance(createdAt + TIMEOUTS.absoluteMs - 1 - clock.now());
      expect((await sessions.check(token)).ok).to.equal(true);
      clock.advance(1);
      expect(await sessions.check(token)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('does not let the store keep a session past its absolute lifetime, even unchecked', async () => {
      const createdAt = clock.now();
      const token = await sessions.create('anna', HASH);
      await keepActive(token, createdAt, TIMEOUTS.absoluteMs);
      clock.advance(createdAt + TIMEOUTS.absoluteMs - clock.now());
      expect(await memory.getSession(hashToken(token))).to.equal(undefined);
    });
  });

  describe('destroy', () => {
    it('ends a session at once', async () => {
      const token = await sessions.create('anna', HASH);
      await sessions.destroy(token);
      expect(await sessions.check(token)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('leaves other sessions alone', async () => {
      const mine = await sessions.create('anna', HASH);
      const theirs = await sessions.create('ben', HASH);
      await sessions.destroy(mine);
      expect((await sessions.check(theirs)).ok).to.equal(true);
    });

    it('does nothing without a token', async () => {
      await sessions.destroy(undefined);
    });
  });

  describe('what the store holds', () => {
    it('keeps the session under the hash of the token, never the token', async () => {
      const token = await sessions.create('anna', HASH);
      expect(await memory.getSession(token)).to.equal(undefined);
      expect(await memory.getSession(hashToken(token))).to.deep.include({ operatorId: 'anna' });
    });

    it('is never handed the token, by create, check or destroy', async () => {
      const token = await sessions.create('anna', HASH);
      await sessions.check(token);
      await sessions.destroy(token);
      expect(seen.length).to.be.greaterThan(0);
      expect(JSON.stringify(seen)).to.not.include(token);
    });

    it('hashes tokens one way: the hash is not the token and differs per token', () => {
      expect(hashToken('a')).to.not.equal('a');
      expect(hashToken('a')).to.not.equal(hashToken('b'));
      expect(hashToken('a')).to.equal(hashToken('a'));
    });
  });
});
