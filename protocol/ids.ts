import { z } from 'zod';
import { LIMITS } from './limits.js';

/** Id aliases, so a signature says which id it wants. */
export type TicketId = string;
export type ChatId = TicketId; // a chat is the ticket it was once queued as
export type OperatorId = string;
export type LineId = string;
export type TopicId = string;
export type LanguageCode = string;

export const idSchema = z
  .string()
  .min(1)
  .max(LIMITS.maxIdChars)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** BCP 47 primary language subtags we serve: two or three lower-case letters. */
export const languageSchema = z.string().regex(/^[a-z]{2,3}$/, 'a language code such as nl or fr');

/** Keys and ciphertext travel as unpadded URL-safe base64 (libsodium's default variant). */
export const base64Schema = (max: number) =>
  z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/, 'unpadded URL-safe base64');

/** An X25519 public key is 32 bytes: 43 characters of unpadded base64. */
export const publicKeySchema = z.string().length(43).regex(/^[A-Za-z0-9_-]+$/);

export const seqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
