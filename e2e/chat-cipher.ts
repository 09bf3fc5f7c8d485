import { ChatCipher as Cipher, chatCipherFactory } from './cipher-core.js';
import { sodiumPrimitives } from './sodium-primitives.js';

/**
 * The chat cipher on libsodium, for the operator console, the scripts and the tests. The
 * design is in cipher-core.ts; the widget imports noble-cipher.ts, which seals and opens the
 * same wire format without libsodium.
 */
export type { ChatCipherFactory, Role } from './cipher-core.js';
export type ChatCipher = Cipher;
export const ChatCipher = chatCipherFactory(sodiumPrimitives);

/** Resolves once libsodium's WebAssembly is ready; ChatCipher.create waits for it too. */
export function readyCrypto(): Promise<void> {
  return sodiumPrimitives.ready();
}
