import type { LineId, OperatorId, TicketId } from '../../protocol/ids.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import type { Offer, OperatorPresence, PresenceStatus, Ticket } from '../routing/types.js';
import type { Aggregate, AggregateField, AggregateKey } from '../stats/aggregates.js';
import type { ChatKeyProof } from '../../identity/certificates.js';

export type PresenceProfile = Pick<OperatorPresence, 'id' | 'name' | 'lines' | 'languages' | 'topics' | 'capacity'>;

/**
 * Everything Quietline remembers, behind one seam: MemoryStore for one node, RedisStore (next)
 * for many. Every method returns a promise even in memory, every record has a TTL as a
 * backstop (privacy invariant 4), and the operations that must be atomic across nodes —
 * offering, accepting, ending — are single methods here rather than read-modify-write in
 * callers. Records hold routing metadata, public keys and ciphertext: never plaintext,
 * addresses or numbers.
 */
export type Sender = 'visitor' | 'operator';

export interface SealedMessage {
  seq: number;
  data: string;
}

/** 'full': the chat holds MAX_BUFFERED_* already in that direction; nothing was stored. */
export type AppendResult = 'stored' | 'duplicate' | 'gap' | 'full';

export type AcceptResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'gone' | 'at-capacity' };

export interface OperatorSession {
  operatorId: OperatorId;
  /** A fingerprint of the password hash signed in with: a changed password ends the session. */
  credential: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface Store {
  init(): Promise<void>;
  close(): Promise<void>;

  /** Add a new waiting ticket, alive for `ttlMs` unless touched again. */
  createTicket(ticket: Ticket, ttlMs: number): Promise<void>;
  getTicket(id: TicketId): Promise<Ticket | undefined>;
  /** Every live ticket (waiting, active, or ended within its grace), in creation order. */
  listTickets(): Promise<Ticket[]>;
  /** Offer a waiting ticket unless it has a live offer; false when it is no longer waiting. */
  offerTicket(id: TicketId, offer: Offer, now: number): Promise<boolean>;
  /** Withdraw the offer if it is still the one made to `operatorId`; remember they had it. */
  withdrawOffer(id: TicketId, operatorId: OperatorId): Promise<boolean>;
  /**
   * Atomically hand an offered ticket to its operator: it must still be waiting, offered to
   * this operator, unexpired, and the operator below capacity. Never two operators, never
   * over capacity.
   */
  acceptOffer(id: TicketId, operatorId: OperatorId, operatorKey: string, now: number, proof?: ChatKeyProof | null): Promise<AcceptResult>;
  /**
   * End a chat (idempotent): frees the operator's slot, deletes its buffered messages, and
   * keeps the ticket only for `graceMs`, so a reconnecting side learns it ended. Returns the ticket as it was before,
   * or undefined if it was already ended or gone.
   */
  endTicket(id: TicketId, by: EndedBy, now: number, graceMs: number): Promise<Ticket | undefined>;
  /** Remove a ticket and every message it holds, now. */
  deleteTicket(id: TicketId): Promise<void>;

  /** Buffer a sealed message so a side that reconnects can catch up; seqs must be 1, 2, 3… */
  appendMessage(id: TicketId, from: Sender, message: SealedMessage): Promise<AppendResult>;
  messagesAfter(id: TicketId, from: Sender, afterSeq: number): Promise<SealedMessage[]>;

  /**
   * Create or refresh an operator's presence from their account, keeping the chats they hold
   * (minus any whose ticket no longer exists) and their idle time.
   */
  upsertPresence(profile: PresenceProfile, status: PresenceStatus, now: number, ttlMs: number): Promise<OperatorPresence>;
  /** Change only the status (and, if given, idleSince): never clobbers the chats held. */
  setPresenceStatus(id: OperatorId, status: PresenceStatus, ttlMs: number, idleSince?: number): Promise<OperatorPresence | undefined>;
  getPresence(id: OperatorId): Promise<OperatorPresence | undefined>;
  listPresence(): Promise<OperatorPresence[]>;

  /** Sessions are stored under a hash of the cookie, never the cookie itself. */
  putSession(tokenHash: string, session: OperatorSession, ttlMs: number): Promise<void>;
  getSession(tokenHash: string): Promise<OperatorSession | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  /** Add to the anonymous counts of one hour × line × language × topic. */
  countAggregate(key: AggregateKey, field: AggregateField, ttlMs: number): Promise<void>;
  /** Every bucket still held, for reporting. */
  aggregates(): Promise<Aggregate[]>;

  /** Learn wait estimates: the last few handle times per line, in seconds. */
  recordHandleTime(line: LineId, seconds: number): Promise<void>;
  recentHandleTimes(line: LineId): Promise<number[]>;
}

/**
 * What one direction of one chat may buffer. Real chats stay far below (a long one has a few
 * hundred messages); the cap keeps one abusive chat from growing a node's memory without end.
 */
export const MAX_BUFFERED_MESSAGES = 1000;
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** How many recent handle times per line feed the estimate. */
export const HANDLE_TIME_SAMPLES = 50;
/** Handle-time samples are aggregates; a line's list lives a day after its newest sample. */
export const HANDLE_TIME_TTL_MS = 24 * 60 * 60 * 1000;
