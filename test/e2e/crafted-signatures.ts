import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';

/**
 * Ed25519 signatures that only a key's holder can make and that verifiers disagree on:
 * RFC 8032's cofactored check (noble's strict mode) accepts them, libsodium refuses them.
 * The contract uses them to hold every implementation to libsodium's answer.
 */
const { Point } = ed25519;
const L = Point.Fn.ORDER;

function challenge(r: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))));
}

function signWithR(seed: Uint8Array, message: Uint8Array, R: InstanceType<typeof Point>, r: bigint) {
  const { scalar, pointBytes: publicKey } = ed25519.utils.getExtendedPublicKey(seed);
  const rBytes = R.toBytes();
  const s = Point.Fn.create(r + challenge(rBytes, publicKey, message) * scalar);
  return { publicKey, signature: concatBytes(rBytes, numberToBytesLE(s, 32)) };
}

/** R is the identity point (small order): [S]B = R + [k]A holds exactly. libsodium refuses small-order R. */
export function smallOrderRSignature(seed: Uint8Array, message: Uint8Array) {
  return signWithR(seed, message, Point.ZERO, 0n);
}

/** A point of small order other than the identity: [L]P for a point P outside the prime-order subgroup. */
function torsionPoint(): InstanceType<typeof Point> {
  for (let i = 0; ; i++) {
    try {
      const P = Point.fromBytes(sha512(Uint8Array.of(i)).subarray(0, 32));
      const T = P.multiplyUnsafe(L - 1n).add(P);
      if (!T.is0()) return T;
    } catch {
      // not an encoding of a point; try the next
    }
  }
}

/**
 * R = [r]B + T with T of small order: the equation holds only up to the cofactor, so the
 * cofactored check accepts it and libsodium's exact check ([S]B − [k]A must equal R) does not.
 */
export function torsionRSignature(seed: Uint8Array, message: Uint8Array) {
  const r = 1234567n;
  return signWithR(seed, message, Point.BASE.multiply(r).add(torsionPoint()), r);
}

/** The same signature with S + L in place of S: the same equation, but not canonical. */
export function nonCanonicalS(signature: Uint8Array): Uint8Array {
  const s = bytesToNumberLE(signature.subarray(32)) + L;
  return concatBytes(signature.subarray(0, 32), numberToBytesLE(s, 32));
}

/** What noble's own strict verification says, to show a crafted signature is what it claims. */
export function rfc8032Accepts(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519.verify(signature, message, publicKey, { zip215: false });
}
