import * as z from 'zod/mini';
import { LIMITS } from './limits.js';
import { base64Schema, idSchema, languageSchema, publicKeySchema, seqSchema } from './ids.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { chatKeyProofSchema } from './identity-schemas.js';

/**
 * Messages on /ws/visitor, one discriminated union per direction. The server only ever
 * sees `data` as opaque ciphertext sealed by e2e/; it routes on the rest.
 */

// ---- visitor → server ----------------------------------------------------------------

export const visitorToServerSchema = z.discriminatedUnion('type', [
  /** Ask for a chat: queue for an operator of this line, language and topic. */
  z.strictObject({
    type: z.literal('request'),
    line: idSchema,
    language: languageSchema,
    topic: idSchema,
    /** The visitor's ephemeral X25519 public key for this chat. */
    key: publicKeySchema,
  }),
  /** Come back after a dropped connection with the token from `queued`, held in memory. */
  z.strictObject({
    type: z.literal('resume'),
    token: base64Schema(128),
    /** Highest operator `seq` already received; everything after it is sent again. */
    received: z.int().check(z.minimum(0)),
  }),
  z.strictObject({ type: z.literal('msg'), seq: seqSchema, data: base64Schema(LIMITS.maxCiphertextChars) }),
  z.strictObject({ type: z.literal('typing'), on: z.boolean() }),
  /** Leave: while waiting this leaves the queue; `quick` marks a quick exit. */
  z.strictObject({ type: z.literal('end'), quick: z.boolean() }),
]);

export type VisitorToServer = z.infer<typeof visitorToServerSchema>;

// ---- server → visitor ----------------------------------------------------------------

/**
 * The service's shared state (Redis) is unreachable ('degraded') or back ('ok'). The socket
 * stays open meanwhile; unsent messages wait and are sent again on 'ok'.
 */
export const serviceSchema = z.strictObject({ type: z.literal('service'), state: z.enum(['degraded', 'ok']) });

/** Seconds until an operator is likely free; null when nobody is staffed to estimate from. */
const estimateSchema = z.nullable(z.int().check(z.minimum(0)));
/**
 * Whether an operator who could take this chat (its line, language and topic) is signed in
 * and available right now, busy or not; false while nobody who could is on duty.
 */
const availableSchema = z.boolean();
export const endedBySchema = z.enum(['visitor', 'operator', 'system']);
export type EndedBy = z.infer<typeof endedBySchema>;

export const serverToVisitorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('queued'),
    chat: idSchema,
    /** Secret that lets this visitor, and only it, resume after a dropped connection. */
    token: base64Schema(128),
    position: z.int().check(z.minimum(1)),
    estimate: estimateSchema,
    available: availableSchema,
  }),
  z.strictObject({
    type: z.literal('position'),
    position: z.int().check(z.minimum(1)),
    estimate: estimateSchema,
    available: availableSchema,
  }),
  z.strictObject({ type: z.literal('resumed'), chat: idSchema }),
  z.strictObject({
    type: z.literal('connected'),
    /** The operator's ephemeral X25519 public key for this chat. */
    key: publicKeySchema,
    /** The name the operator chose to show visitors. */
    operator: z.string().check(z.maxLength(80)),
    /** The operator's certified identity vouching for `key`; the widget checks it. */
    proof: z.optional(chatKeyProofSchema),
  }),
  z.strictObject({ type: z.literal('msg'), seq: seqSchema, data: base64Schema(LIMITS.maxCiphertextChars) }),
  /** The server holds the visitor's message `seq`: it will reach the operator. */
  z.strictObject({ type: z.literal('ack'), seq: seqSchema }),
  z.strictObject({ type: z.literal('typing'), on: z.boolean() }),
  z.strictObject({ type: z.literal('ended'), by: endedBySchema }),
  serviceSchema,
  z.strictObject({
    type: z.literal('error'),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    /** The visitor message this error is about, so the widget can offer to resend it. */
    seq: z.optional(seqSchema),
  }),
]);

export type ServerToVisitor = z.infer<typeof serverToVisitorSchema>;
