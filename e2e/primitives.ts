import type { SigningPrimitives } from '../identity/signing-primitives.js';

/**
 * The handful of operations the chat cipher and the certificates need, so that one cipher
 * design (cipher-core.ts) runs on libsodium (sodium-primitives.ts: console, scripts, tests) or
 * on noble (noble-primitives.ts: the widget, about a seventh of the weight). Every
 * implementation must give libsodium's bytes — the wire format is the same whichever side uses
 * which — and test/e2e/primitives-contract.ts holds each one to that.
 *
 * Ed25519 and base64 come from identity/signing-primitives.ts: the server shares identity/
 * but must never import e2e/, so the signing half is defined there.
 */
export interface KxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** One side's directional keys: `rx` opens what the peer sent, `tx` seals what we send. */
export interface SessionKeys {
  rx: Uint8Array;
  tx: Uint8Array;
}

export interface Primitives extends SigningPrimitives {
  /** Bytes from the platform's CSPRNG. */
  randomBytes(length: number): Uint8Array;
  /** An X25519 pair as `crypto_kx_keypair` makes it, or from `seed` as `crypto_kx_seed_keypair`. */
  kxKeyPair(seed?: Uint8Array): KxKeyPair;
  /**
   * `crypto_kx_client_session_keys`: BLAKE2b-512(shared ‖ client pk ‖ server pk), first half
   * rx, second half tx. Throws on a peer key that is the wrong length or of small order.
   */
  kxClientSessionKeys(client: KxKeyPair, serverPublicKey: Uint8Array): SessionKeys;
  /** `crypto_kx_server_session_keys`: the same hash, halves the other way round. */
  kxServerSessionKeys(server: KxKeyPair, clientPublicKey: Uint8Array): SessionKeys;
  /** `crypto_aead_xchacha20poly1305_ietf_encrypt`: ciphertext ‖ 16-byte tag. */
  aeadEncrypt(message: Uint8Array, additionalData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** The inverse; throws if the tag does not verify. */
  aeadDecrypt(sealed: Uint8Array, additionalData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** `sodium.pad`: ISO/IEC 7816-4 padding to a multiple of `blockSize` (always adds a byte). */
  pad(data: Uint8Array, blockSize: number): Uint8Array;
  /** `sodium.unpad`; throws on padding libsodium would refuse. */
  unpad(padded: Uint8Array, blockSize: number): Uint8Array;
}
