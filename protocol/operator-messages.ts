import * as z from 'zod/mini';
import { LIMITS } from './limits.js';
import { roleSchema } from './accounts.js';
import { base64Schema, channelSchema, idSchema, languageSchema, publicKeySchema, seqSchema } from './ids.js';
import { supervisorMessageSchema } from './supervisor-messages.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { chatKeyProofSchema } from './identity-schemas.js';
import { endedBySchema, serviceSchema } from './visitor-messages.js';

/** Messages on /ws/operator, one discriminated union per direction. */

export const operatorStatusSchema = z.enum(['available', 'away']);

export { channelSchema, type Channel } from './ids.js';
export type OperatorStatus = z.infer<typeof operatorStatusSchema> | 'offline';

// ---- operator → server ---------------------------------------------------------------

export const operatorToServerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('status'), status: operatorStatusSchema }),
  /**
   * Take an offered ticket. For a chat, `key` is the operator's ephemeral X25519 key and
   * `proof` vouches for it with the operator's certified identity (required when the
   * deployment has an organisation key: `welcome.identity` says so). A call has no key: the
   * console connects its voice device instead (docs/voice.md), so both are left out.
   */
  z.strictObject({
    type: z.literal('accept'),
    ticket: idSchema,
    key: z.optional(publicKeySchema),
    proof: z.optional(chatKeyProofSchema),
  }),
  z.strictObject({ type: z.literal('decline'), ticket: idSchema }),
  z.strictObject({
    type: z.literal('msg'),
    chat: idSchema,
    seq: seqSchema,
    data: base64Schema(LIMITS.maxCiphertextChars),
  }),
  z.strictObject({ type: z.literal('typing'), chat: idSchema, on: z.boolean() }),
  /** End a chat with an anonymous wrap-up category from the configured list. */
  z.strictObject({ type: z.literal('end'), chat: idSchema, wrapUp: idSchema }),
]);

export type OperatorToServer = z.infer<typeof operatorToServerSchema>;

// ---- server → operator ---------------------------------------------------------------

const profileSchema = z.strictObject({
  id: idSchema,
  name: z.string(),
  role: roleSchema,
  lines: z.array(idSchema),
  languages: z.array(languageSchema),
  topics: z.array(idSchema),
  capacity: z.int().check(z.minimum(1)),
});
export type OperatorProfile = z.infer<typeof profileSchema>;

const chatSummarySchema = z.strictObject({
  chat: idSchema,
  channel: channelSchema,
  line: idSchema,
  language: languageSchema,
  topic: idSchema,
  /** The visitor's ephemeral X25519 public key; absent for a call. */
  key: z.optional(publicKeySchema),
  /** Seconds the visitor waited before this operator accepted. */
  waited: z.int().check(z.minimum(0)),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

const waitingQueueSchema = z.strictObject({
  line: idSchema,
  language: languageSchema,
  topic: idSchema,
  channel: channelSchema,
  waiting: z.int().check(z.minimum(0)),
  longestWaitSeconds: z.int().check(z.minimum(0)),
});
export type WaitingQueue = z.infer<typeof waitingQueueSchema>;

const cannedReplySchema = z.strictObject({
  line: idSchema,
  language: languageSchema,
  title: z.string().check(z.minLength(1), z.maxLength(60)),
  text: z.string().check(z.minLength(1), z.maxLength(2000)),
});
export type CannedReply = z.infer<typeof cannedReplySchema>;

export const serverToOperatorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('welcome'),
    operator: profileSchema,
    status: z.enum(['available', 'away', 'offline']),
    /** Wrap-up category ids the operator must choose from when ending a chat. */
    wrapUps: z.array(idSchema),
    /** The chats this operator still holds; `assigned` for each follows. A console drops
     *  any other chat it shows: it ended while the console was away. */
    chats: z.array(idSchema),
    /** 'required': every accept must carry a proof signed with the operator's identity. */
    identity: z.enum(['required', 'off']),
    /** The canned replies of the operator's lines and languages, from the lines file. */
    canned: z.array(cannedReplySchema),
  }),
  z.strictObject({
    type: z.literal('status'),
    status: z.enum(['available', 'away', 'offline']),
    /** Why the server changed it: 'missed-offers' after `missed` offers in a row ran out unanswered. */
    reason: z.optional(z.literal('missed-offers')),
    missed: z.optional(z.int().check(z.minimum(1))),
  }),
  /**
   * How many wait in each queue this operator serves (every line × language × topic × channel
   * their skills cover, 0 included), and the longest wait: sent after `welcome` and whenever
   * it changes (at most every 3 s), also while they are away or at capacity.
   */
  z.strictObject({ type: z.literal('waiting'), queues: z.array(waitingQueueSchema) }),
  /**
   * The visitor of a running chat lost their connection ('lost': they may come back within
   * `graceSeconds`, and what the operator sends reaches them then) or came back ('back').
   * Leaving is `ended`, not this.
   */
  z.strictObject({
    type: z.literal('visitor'),
    chat: idSchema,
    connection: z.enum(['lost', 'back']),
    graceSeconds: z.optional(z.int().check(z.minimum(0))),
  }),
  serviceSchema,
  supervisorMessageSchema,
  z.strictObject({
    type: z.literal('offer'),
    ticket: idSchema,
    channel: channelSchema,
    line: idSchema,
    language: languageSchema,
    topic: idSchema,
    /** Seconds the visitor has waited so far. */
    waited: z.int().check(z.minimum(0)),
    /** Seconds until the offer passes to another operator. */
    expiresIn: z.int().check(z.minimum(0)),
  }),
  z.strictObject({
    type: z.literal('offer-withdrawn'),
    ticket: idSchema,
    reason: z.enum(['expired', 'taken', 'left']),
  }),
  z.strictObject({ type: z.literal('assigned'), ...chatSummarySchema.shape }),
  z.strictObject({ type: z.literal('msg'), chat: idSchema, seq: seqSchema, data: base64Schema(LIMITS.maxCiphertextChars) }),
  z.strictObject({ type: z.literal('ack'), chat: idSchema, seq: seqSchema }),
  z.strictObject({ type: z.literal('typing'), chat: idSchema, on: z.boolean() }),
  z.strictObject({
    type: z.literal('ended'),
    chat: idSchema,
    by: endedBySchema,
    /**
     * Only with `by: 'visitor'`, and only when the visitor left by quick exit (their socket's
     * `end` or the leave beacon with `quick: true`): they may no longer be safe to write.
     * The chat is purged at once; absent otherwise.
     */
    quick: z.optional(z.literal(true)),
  }),
  z.strictObject({
    type: z.literal('error'),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    chat: z.optional(idSchema),
    ticket: z.optional(idSchema),
    seq: z.optional(seqSchema),
  }),
]);

export type ServerToOperator = z.infer<typeof serverToOperatorSchema>;
