import sodium from 'libsodium-wrappers';
import type { SigningKeyPair, SigningPrimitives } from './signing-primitives.js';

function pair(keys: { publicKey: Uint8Array; privateKey: Uint8Array }): SigningKeyPair {
  return { publicKey: keys.publicKey, secretKey: keys.privateKey };
}

/** Ed25519 and base64 from libsodium-wrappers: the reference the noble version must match. */
export const sodiumSigning: SigningPrimitives = {
  async ready() {
    await sodium.ready;
  },
  signKeyPair(seed) {
    return pair(seed ? sodium.crypto_sign_seed_keypair(seed) : sodium.crypto_sign_keypair());
  },
  sign(message, secretKey) {
    return sodium.crypto_sign_detached(message, secretKey);
  },
  verify(signature, message, publicKey) {
    try {
      return sodium.crypto_sign_verify_detached(signature, message, publicKey);
    } catch {
      return false; // a signature or key of the wrong length
    }
  },
  toBase64(bytes) {
    return sodium.to_base64(bytes);
  },
  fromBase64(text) {
    return sodium.from_base64(text);
  },
};
