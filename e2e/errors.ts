/** Why a sealed message was refused. `replay` is harmless (a resend after reconnecting). */
export type E2EFailure = 'not-established' | 'replay' | 'out-of-order' | 'tampered' | 'malformed' | 'too-long' | 'wiped';

export class E2EError extends Error {
  constructor(readonly reason: E2EFailure) {
    super(`end-to-end: ${reason}`);
    this.name = 'E2EError';
  }
}
