import { createHash, randomBytes } from 'node:crypto';
import type { OperatorId } from '../../protocol/ids.js';
import type { Clock } from '../clock.js';
import type { OperatorSession, Store } from '../store/store.js';

export const SESSION_COOKIE = 'ql_session';

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export type SessionCheck = { ok: true; session: OperatorSession } | { ok: false; reason: 'missing' | 'expired' };

/** Short, one-way: enough to notice that a password changed, useless for guessing it. */
export function credentialOf(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Operator sessions: a random cookie value, stored only as its hash, ending after an idle
 * period or an absolute lifetime, whichever comes first.
 */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
  ) {}

  async create(operatorId: OperatorId, passwordHash: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session = { operatorId, credential: credentialOf(passwordHash), createdAt: now, lastSeenAt: now };
    await this.store.putSession(hashToken(token), session, this.timeouts.idleMs);
    return token;
  }

  /** Check a cookie value and, if valid, extend its idle timeout. */
  async check(token: string | undefined): Promise<SessionCheck> {
    if (!token) return { ok: false, reason: 'missing' };
    const key = hashToken(token);
    const session = await this.store.getSession(key);
    if (!session) return { ok: false, reason: 'expired' };
    const now = this.clock.now();
    const absoluteLeft = session.createdAt + this.timeouts.absoluteMs - now;
    if (absoluteLeft <= 0 || now - session.lastSeenAt >= this.timeouts.idleMs) {
      await this.store.deleteSession(key);
      return { ok: false, reason: 'expired' };
    }
    const touched = { ...session, lastSeenAt: now };
    await this.store.putSession(key, touched, Math.min(this.timeouts.idleMs, absoluteLeft));
    return { ok: true, session: touched };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (token) await this.store.deleteSession(hashToken(token));
  }
}
