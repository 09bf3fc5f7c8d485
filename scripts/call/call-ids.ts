import { createHash, randomBytes } from 'node:crypto';

/**
 * Made-up Twilio identifiers, shaped like the real ones (two letters and 32 hex digits) so the
 * server's checks see what Twilio would send. None of them exists at Twilio.
 */
export const FAKE_ACCOUNT_SID = `AC${'0'.repeat(24)}51e1a7ed`;

/** A caller's number that belongs to nobody (Belgian mobile range, all zeros). */
export const DEFAULT_CALLER = '+32470000000';

/** A new call's CallSid: random, so every simulated call is a new call for the server. */
export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

/** A queue's QueueSid: Twilio's is stable per queue, so it is derived from the name. */
export function queueSidFor(queueName: string): string {
  return `QU${createHash('sha256').update(queueName).digest('hex').slice(0, 32)}`;
}
