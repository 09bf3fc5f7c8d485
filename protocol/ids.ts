import * as z from 'zod/mini';
import { LIMITS } from './limits.js';

/**
 * Every protocol schema is built with zod/mini's functional API: the widget bundles these,
 * and zod/mini weighs about a tenth of classic zod. Server code may wrap them in classic
 * zod schemas of its own (both share zod's core).
 */

/** Id aliases, so a signature says which id it wants. */
export type TicketId = string;
export type ChatId = TicketId; // a chat is the ticket it was once queued as
export type OperatorId = string;
export type LineId = string;
export type TopicId = string;
export type LanguageCode = string;

export const idSchema = z.string().check(
  z.minLength(1),
  z.maxLength(LIMITS.maxIdChars),
  z.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
);

/** BCP 47 primary language subtags we serve: two or three lower-case letters. */
export const languageSchema = z.string().check(z.regex(/^[a-z]{2,3}$/, 'a language code such as nl or fr'));

/** Keys and ciphertext travel as unpadded URL-safe base64 (libsodium's default variant). */
export const base64Schema = (max: number) =>
  z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[A-Za-z0-9_-]+$/, 'unpadded URL-safe base64'));

/** An X25519 public key is 32 bytes: 43 characters of unpadded base64. */
export const publicKeySchema = z.string().check(z.length(43), z.regex(/^[A-Za-z0-9_-]+$/));

export const seqSchema = z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));

/** How the person reached the line: the widget's chat, or a phone call through Twilio. */
export const channelSchema = z.enum(['chat', 'call']);
export type Channel = z.infer<typeof channelSchema>;
