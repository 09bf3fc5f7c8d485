import sodium from 'libsodium-wrappers';
import { sodiumSigning } from '../identity/sodium-signing.js';
import type { KxKeyPair, Primitives } from './primitives.js';

function kxPair(keys: { publicKey: Uint8Array; privateKey: Uint8Array }): KxKeyPair {
  return { publicKey: keys.publicKey, secretKey: keys.privateKey };
}

/** The primitives on libsodium-wrappers: the reference noble-primitives.ts must match. */
export const sodiumPrimitives: Primitives = {
  ...sodiumSigning,
  randomBytes(length) {
    // Web Crypto's generator: libsodium's randombytes_buf is about ten times slower here.
    return crypto.getRandomValues(new Uint8Array(length));
  },
  kxKeyPair(seed) {
    return kxPair(seed ? sodium.crypto_kx_seed_keypair(seed) : sodium.crypto_kx_keypair());
  },
  kxClientSessionKeys(client, serverPublicKey) {
    const keys = sodium.crypto_kx_client_session_keys(client.publicKey, client.secretKey, serverPublicKey);
    return { rx: keys.sharedRx, tx: keys.sharedTx };
  },
  kxServerSessionKeys(server, clientPublicKey) {
    const keys = sodium.crypto_kx_server_session_keys(server.publicKey, server.secretKey, clientPublicKey);
    return { rx: keys.sharedRx, tx: keys.sharedTx };
  },
  aeadEncrypt(message, additionalData, nonce, key) {
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(message, additionalData, null, nonce, key);
  },
  aeadDecrypt(sealed, additionalData, nonce, key) {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, additionalData, nonce, key);
  },
  pad(data, blockSize) {
    return sodium.pad(data, blockSize);
  },
  unpad(padded, blockSize) {
    return sodium.unpad(padded, blockSize);
  },
};
