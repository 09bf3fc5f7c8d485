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
    const bucket = addressBucket(address);
    if (this.clock.now() - this.rotatedAt >= this.rotateEveryMs) {
      this.key = randomBytes(32);
      this.rotatedAt = this.clock.now();
    }
    return createHmac('sha256', this.key).update(bucket).digest('base64url').slice(0, 22);
  }
}

/**
 * What one sender controls. An IPv6 host usually holds a whole /64 and can rotate through
 * it at will, so limits key on that prefix; IPv4 (and IPv4-mapped IPv6) on the address.
 */
export function addressBucket(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
