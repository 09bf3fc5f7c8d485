import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';

/**
 * Abuse limits need to recognise a repeat sender without remembering who they are
 * (privacy invariant 6): key limits on an HMAC of the connection address under a random key
 * that lives only in memory and is replaced at least daily. After a rotation yesterday's
 * keys cannot be linked to today's, and nothing on disk can reverse them.
 */
export class AddressKeyer {
  private key = randomBytes(32);
  private rotatedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly rotateEveryMs = 24 * 60 * 60 * 1000,
  ) {
    this.rotatedAt = clock.now();
  }

  keyFor(address: string | undefined): string {
    if (this.clock.now() - this.rotatedAt >= this.rotateEveryMs) {
      this.key = randomBytes(32);
      this.rotatedAt = this.clock.now();
    }
    return createHmac('sha256', this.key).update(address ?? 'unknown').digest('base64url').slice(0, 22);
  }
}
