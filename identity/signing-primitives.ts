/**
 * The Ed25519 and base64 operations certificates need, so that one certificate design runs on
 * libsodium (console, scripts, server) or on noble (the widget, where weight matters).
 * e2e/primitives.ts extends this with the chat cipher's operations; it lives here because the
 * server shares identity/ but must never import e2e/.
 *
 * Every implementation must give libsodium's bytes: keys and signatures as
 * `crypto_sign_seed_keypair`/`crypto_sign_detached` make them, acceptance as strict as
 * `crypto_sign_verify_detached`, base64 as `to_base64`/`from_base64` (unpadded, URL-safe).
 * test/e2e/primitives-contract.ts checks each implementation against that.
 */
export interface SigningKeyPair {
  publicKey: Uint8Array;
  /** libsodium's 64-byte form: the 32-byte seed, then the public key. */
  secretKey: Uint8Array;
}

export interface SigningPrimitives {
  /** Resolves once the implementation can be used (libsodium loads WebAssembly). */
  ready(): Promise<void>;
  /** A new Ed25519 key pair; from `seed` (32 bytes) when given, else random. */
  signKeyPair(seed?: Uint8Array): SigningKeyPair;
  /** A detached Ed25519 signature. Throws on a malformed secret key. */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** False for a wrong signature and for any malformed signature or key; never throws. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  toBase64(bytes: Uint8Array): string;
  /** Throws on input libsodium's `from_base64` refuses. */
  fromBase64(text: string): Uint8Array;
}
