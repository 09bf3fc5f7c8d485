import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { nobleSigning } from '../identity/noble-signing.js';
import { isoPad, isoUnpad } from './iso7816-padding.js';
import type { KxKeyPair, Primitives, SessionKeys } from './primitives.js';

const KX_KEY_BYTES = 32; // crypto_kx_PUBLICKEYBYTES, _SECRETKEYBYTES, _SEEDBYTES and _SESSIONKEYBYTES

/**
 * libsodium's crypto_kx: BLAKE2b-512 of the X25519 shared point, the client's public key and
 * the server's, split in two. Both sides hash the same bytes; the client reads the first half
 * as rx, the server as tx. noble refuses a small-order peer key, as libsodium does (an
 * all-zero shared point).
 */
function kxHash(ownSecret: Uint8Array, peerPublic: Uint8Array, clientPublic: Uint8Array, serverPublic: Uint8Array): Uint8Array {
  if (peerPublic.length !== KX_KEY_BYTES) throw new Error('invalid public key length');
  const shared = x25519.getSharedSecret(ownSecret, peerPublic);
  const input = concatBytes(shared, clientPublic, serverPublic);
  const keys = blake2b(input, { dkLen: 2 * KX_KEY_BYTES });
  shared.fill(0);
  input.fill(0);
  return keys;
}

function halves(keys: Uint8Array, firstIs: 'rx' | 'tx'): SessionKeys {
  const first = keys.slice(0, KX_KEY_BYTES);
  const second = keys.slice(KX_KEY_BYTES);
  keys.fill(0);
  return firstIs === 'rx' ? { rx: first, tx: second } : { rx: second, tx: first };
}

/** The primitives on the audited noble libraries: libsodium's bytes, for the widget's bundle. */
export const noblePrimitives: Primitives = {
  ...nobleSigning,
  randomBytes,
  kxKeyPair(seed): KxKeyPair {
    // crypto_kx_seed_keypair hashes its seed into the secret key; crypto_kx_keypair draws it.
    if (seed && seed.length !== KX_KEY_BYTES) throw new Error('invalid seed length');
    const secretKey = seed ? blake2b(seed, { dkLen: KX_KEY_BYTES }) : randomBytes(KX_KEY_BYTES);
    return { publicKey: x25519.getPublicKey(secretKey), secretKey };
  },
  kxClientSessionKeys(client, serverPublicKey) {
    return halves(kxHash(client.secretKey, serverPublicKey, client.publicKey, serverPublicKey), 'rx');
  },
  kxServerSessionKeys(server, clientPublicKey) {
    return halves(kxHash(server.secretKey, clientPublicKey, clientPublicKey, server.publicKey), 'tx');
  },
  aeadEncrypt(message, additionalData, nonce, key) {
    return xchacha20poly1305(key, nonce, additionalData).encrypt(message);
  },
  aeadDecrypt(sealed, additionalData, nonce, key) {
    return xchacha20poly1305(key, nonce, additionalData).decrypt(sealed);
  },
  pad: isoPad,
  unpad: isoUnpad,
};
