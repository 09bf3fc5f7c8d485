import type { LineId, OperatorId, TicketId } from '../../protocol/ids.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import type { Offer, OperatorPresence, PresenceStatus, QueueRef, RoutingTicket, Ticket } from '../routing/types.js';
import type { Aggregate, AggregateField, AggregateKey } from '../stats/aggregates.js';
import type { ChatKeyProof } from '../../identity/certificates.js';
import type { CallCapacityRule } from '../routing/call-capacity.js';
import type { OperatorAccount } from '../accounts/account.js';

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

/** The day tallies the store keeps (see Store.countDay). */
export type DayTally = 'missed' | 'coverage';

export interface SealedMessage {
  seq: number;
  data: string;
}

/** 'full': the chat holds MAX_BUFFERED_* already in that direction; nothing was stored. */
export type AppendResult = 'stored' | 'duplicate' | 'gap' | 'full';

export type AcceptResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'gone' | 'at-capacity' };

/**
 * The store cannot be reached now (Redis down or failing over). Callers keep sockets open,
 * tell clients to retry, and carry on when it returns: it is never a reason to crash.
 */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface EndOptions {
  /**
   * End only if the visitor is still away on this attach epoch: the grace timer's end, which
   * must lose to a resume that happened meanwhile on any node.
   */
  ifDetachedEpoch?: number;
}

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
  /** Resolves when the store answers; rejects with StoreUnavailableError when it does not. */
  ping(): Promise<void>;
  /** Be told when the store becomes unreachable (false) and reachable again (true). */
  onAvailability(listener: (available: boolean) => void): void;

  /** Add a new waiting ticket, alive for `ttlMs` unless touched again. */
  createTicket(ticket: Ticket, ttlMs: number): Promise<void>;
  getTicket(id: TicketId): Promise<Ticket | undefined>;
  /**
   * Every live ticket (waiting, active, or ended within its grace), in creation order. A full
   * scan: for background sweeps and rare events, never per message or per routing run.
   */
  listTickets(): Promise<Ticket[]>;
  /**
   * What routing looks at: the oldest `perQueue` waiting tickets of each line × language ×
   * topic queue (offered or not), all together in creation order. Bounded, so a routing run
   * costs the same with ten thousand people waiting as with ten; and only what routing
   * reads of each, so a networked store can answer in one round trip.
   */
  waitingTickets(perQueue: number): Promise<RoutingTicket[]>;
  /**
   * Each asked-about waiting ticket's place in its line × language queue (1 = next), counted
   * across topics; tickets not waiting are left out of the map. The caller names each
   * ticket's queue, so a networked store can answer in one round trip.
   */
  queuePositions(tickets: readonly QueueRef[]): Promise<Map<TicketId, number>>;
  /** Offer a waiting ticket unless it has a live offer; false when it is no longer waiting. */
  offerTicket(id: TicketId, offer: Offer, now: number): Promise<boolean>;
  /** Withdraw the offer if it is still the one made to `operatorId`; remember they had it. */
  withdrawOffer(id: TicketId, operatorId: OperatorId): Promise<boolean>;
  /**
   * Atomically hand an offered ticket to its operator: it must still be waiting, offered to
   * this operator, unexpired, and fit what the operator holds (below capacity, and what
   * `callRule` allows beside a call: routing/call-capacity.ts). Never two operators, never
   * over capacity. A call has no key: `operatorKey` is ''.
   */
  acceptOffer(
    id: TicketId,
    operatorId: OperatorId,
    operatorKey: string,
    now: number,
    proof?: ChatKeyProof | null,
    callRule?: CallCapacityRule,
  ): Promise<AcceptResult>;
  /**
   * End a chat (idempotent): frees the operator's slot, deletes its buffered messages, and
   * keeps the ticket only for `graceMs`, so a reconnecting side learns it ended. Returns the ticket as it was before,
   * or undefined if it was already ended or gone.
   */
  endTicket(id: TicketId, by: EndedBy, now: number, graceMs: number, options?: EndOptions): Promise<Ticket | undefined>;
  /** Remove a ticket and every message it holds, now. */
  deleteTicket(id: TicketId): Promise<void>;

  /**
   * `node` now holds the visitor's socket: bumps the attach epoch and clears detachedAt.
   * Returns the new epoch, or undefined when the ticket is gone.
   */
  attachVisitor(id: TicketId, node: string): Promise<number | undefined>;
  /**
   * The socket of attach `epoch` went away at `now`: the visitor is away unless a newer attach
   * happened (then nothing changes and the result is false).
   */
  detachVisitor(id: TicketId, epoch: number, now: number): Promise<boolean>;

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
  /** `node` holds a console of this operator now (clears disconnectedAt). */
  attachConsole(id: OperatorId, node: string): Promise<OperatorPresence | undefined>;
  /**
   * `node` holds none of their consoles any more. When no node does, the operator goes
   * offline with disconnectedAt = now (their chats wait out the grace).
   */
  detachConsole(id: OperatorId, node: string, now: number): Promise<OperatorPresence | undefined>;

  /** A node says it is alive, for `ttlMs`; nodes that stop saying so are dead. */
  heartbeatNode(node: string, now: number, ttlMs: number): Promise<void>;
  /** Nodes whose last heartbeat has not run out at `now`. */
  liveNodes(now: number): Promise<Set<string>>;
  /** A node leaving cleanly: it is dead at once. */
  forgetNode(node: string): Promise<void>;
  /**
   * Hold the lease `name` for `ttlMs` from `now`: true when `holder` has it (taken free or
   * expired, or renewed as its holder), false while another holder's lease runs. So that
   * one node at a time does a cluster-wide chore (the full sweep).
   */
  claimLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /** Give the lease up now, if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;

  /**
   * A live phone call's small records (server/voice/call-state.ts): what any node answering
   * the call's next webhook must know. Opaque keys and values, never a number. Returns the
   * value held afterwards: with `ifAbsent`, a live value already there is kept and returned
   * (so a webhook that Twilio retries on two nodes at once makes one ticket, not two).
   */
  putCallState(key: string, value: string, ttlMs: number, ifAbsent?: boolean): Promise<string>;
  getCallState(key: string): Promise<string | undefined>;
  deleteCallState(key: string): Promise<void>;

  /** Sessions are stored under a hash of the cookie, never the cookie itself. */
  putSession(tokenHash: string, session: OperatorSession, ttlMs: number): Promise<void>;
  getSession(tokenHash: string): Promise<OperatorSession | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  /**
   * Operator accounts, when the store holds them (accounts/open-directory.ts): staff records,
   * not a visitor's, so they have no TTL and stay until removed. A record that no longer
   * parses reads as no account, never as an error that would stop every sign-in.
   */
  listAccounts(): Promise<OperatorAccount[]>;
  getAccount(id: OperatorId): Promise<OperatorAccount | undefined>;
  /** 'create' writes only if the id is free, 'replace' only if it exists; says whether it wrote. */
  putAccount(account: OperatorAccount, mode: 'create' | 'replace'): Promise<boolean>;
  deleteAccount(id: OperatorId): Promise<boolean>;

  /**
   * Add `amount` (default 1, a whole number) to one field of an anonymous bucket (a quarter
   * hour or a local day × line × language × topic × channel: stats/aggregates.ts).
   */
  countAggregate(key: AggregateKey, field: AggregateField, ttlMs: number, amount?: number): Promise<void>;
  /** Every bucket still held, for reporting. A full scan: tests and rare reads only. */
  aggregates(): Promise<Aggregate[]>;
  /** The buckets of these ids (stats/aggregates.ts bucketId) that are held, in one read. */
  aggregateBuckets(ids: readonly string[]): Promise<Aggregate[]>;
  /** Every held bucket starting at or after `from` (ms), for the export. */
  aggregatesSince(from: number): Promise<Aggregate[]>;
  /**
   * Add one to `field` of a local day's ("YYYY-MM-DD") tally `tally`: the supervisor view's
   * day figures that are not per queue ('missed': an operator's missed offers, by operator
   * id; 'coverage': a line × language's minutes with nobody to answer, and contacts then).
   * Kept `ttlMs`.
   */
  countDay(tally: DayTally, day: string, field: string, ttlMs: number): Promise<void>;
  /** That day's tally, field → count. */
  dayTally(tally: DayTally, day: string): Promise<Map<string, number>>;

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

/**
 * The most waiting tickets per queue that counting readers (/metrics, the supervisor view)
 * ask waitingTickets for: a queue longer than this reads as this long.
 */
export const QUEUE_READ_CAP = 10_000;
