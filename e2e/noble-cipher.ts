import { ChatCipher as Cipher, chatCipherFactory } from './cipher-core.js';
import { noblePrimitives } from './noble-primitives.js';

/**
 * The chat cipher on noble, for the visitor's widget: the same class and wire format as
 * chat-cipher.ts, a fraction of the weight, and no libsodium anywhere in its imports.
 */
export type { ChatCipherFactory, Role } from './cipher-core.js';
export type ChatCipher = Cipher;
export const ChatCipher = chatCipherFactory(noblePrimitives);

/** Nothing to load: kept so a caller can switch from chat-cipher.ts by its import path alone. */
export function readyCrypto(): Promise<void> {
  return noblePrimitives.ready();
}
