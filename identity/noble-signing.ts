import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, equalBytes, randomBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { fromBase64Url, toBase64Url } from './base64url.js';
import type { SigningPrimitives } from './signing-primitives.js';

const { Point } = ed25519;

/**
 * libsodium's `crypto_sign_verify_detached` is stricter than RFC 8032 in two ways noble's
 * strict mode is not: it refuses a small-order R, and it checks the equation without the
 * cofactor (R must equal [S]B − [k]A exactly). Only the holder of a secret key can make a
 * signature that tells the two apart, but the widget should refuse exactly what the server
 * refuses, so these two checks run after noble's own.
 */
function libsodiumAlsoAccepts(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const r = signature.subarray(0, 32);
  const R = Point.fromBytes(r);
  if (R.isSmallOrder()) return false;
  const A = Point.fromBytes(publicKey);
  const s = bytesToNumberLE(signature.subarray(32));
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))));
  return Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k)).equals(R);
}

/** Ed25519 and base64 from noble, byte for byte what sodium-signing.ts gives, without libsodium. */
export const nobleSigning: SigningPrimitives = {
  async ready() {},
  signKeyPair(seed = randomBytes(32)) {
    const publicKey = ed25519.getPublicKey(seed);
    return { publicKey, secretKey: concatBytes(seed, publicKey) };
  },
  sign(message, secretKey) {
    if (secretKey.length !== 64) throw new Error('invalid secret key length');
    const seed = secretKey.subarray(0, 32);
    // libsodium signs with whatever public half it is given; noble derives it from the seed.
    // The two agree only when the halves belong together, so anything else is refused.
    if (!equalBytes(ed25519.getPublicKey(seed), secretKey.subarray(32))) throw new Error('inconsistent secret key');
    return ed25519.sign(message, seed);
  },
  verify(signature, message, publicKey) {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    try {
      // zip215: false is RFC 8032's strict decoding, plus a refusal of small-order keys.
      return ed25519.verify(signature, message, publicKey, { zip215: false }) && libsodiumAlsoAccepts(signature, message, publicKey);
    } catch {
      return false;
    }
  },
  toBase64: toBase64Url,
  fromBase64: fromBase64Url,
};
