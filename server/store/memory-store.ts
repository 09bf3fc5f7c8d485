import type { LineId, OperatorId, TicketId } from '../../protocol/ids.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Offer, OperatorPresence, PresenceStatus, QueueRef, RoutingTicket, Ticket } from '../routing/types.js';
import { bucketId, type Aggregate, type AggregateField, type AggregateKey } from '../stats/aggregates.js';
import type { ChatKeyProof } from '../../identity/certificates.js';
import { DEFAULT_CALL_CAPACITY_RULE, fits, type CallCapacityRule } from '../routing/call-capacity.js';
import { TtlMap } from './ttl-map.js';
import type { OperatorAccount } from '../accounts/account.js';
import {
  HANDLE_TIME_SAMPLES,
  HANDLE_TIME_TTL_MS,
  MAX_BUFFERED_BYTES,
  MAX_BUFFERED_MESSAGES,
  type AcceptResult,
  type AppendResult,
  type DayTally,
  type EndOptions,
  type OperatorSession,
  type PresenceProfile,
  type SealedMessage,
  type Sender,
  type Store,
} from './store.js';

interface Buffers {
  visitor: SealedMessage[];
  operator: SealedMessage[];
  /** Characters of `data` held per direction, kept as messages are added. */
  bytes: { visitor: number; operator: number };
}

const SWEEP_EVERY_MS = 60_000;

/**
 * The embedded store: one process, no other service. Each method does its whole job before
 * yielding, which makes offer/accept/end atomic in a single node. Values are copied in and
 * out so callers can never mutate stored state behind the store's back.
 */
export class MemoryStore implements Store {
  private readonly tickets: TtlMap<TicketId, Ticket>;
  private readonly buffers: TtlMap<TicketId, Buffers>;
  private readonly presence: TtlMap<OperatorId, OperatorPresence>;
  private readonly sessions: TtlMap<string, OperatorSession>;
  private readonly callStates: TtlMap<string, string>;
  private readonly dayTallies: TtlMap<string, Map<string, number>>;
  private readonly handleTimes: TtlMap<LineId, number[]>;
  private readonly buckets: TtlMap<string, Aggregate>;
  private readonly nodes: TtlMap<string, true>;
  private readonly leases: TtlMap<string, string>;
  private readonly accounts = new Map<OperatorId, OperatorAccount>();
  /**
   * Waiting tickets by line × language × topic queue, and by line × language (for places),
   * in creation order (a Set keeps insertion order); `order` numbers tickets as created.
   * Entries of tickets that stopped waiting or expired are dropped when met.
   */
  private readonly topicQueues = new Map<string, Set<TicketId>>();
  private readonly languageQueues = new Map<string, Set<TicketId>>();
  private readonly order = new Map<TicketId, number>();
  private created = 0;
  private sweeper: TimerHandle | null = null;
  private closed = false;

  constructor(private readonly clock: Clock) {
    this.tickets = new TtlMap(clock);
    this.buffers = new TtlMap(clock);
    this.presence = new TtlMap(clock);
    this.sessions = new TtlMap(clock);
    this.callStates = new TtlMap(clock);
    this.dayTallies = new TtlMap(clock);
    this.handleTimes = new TtlMap(clock);
    this.buckets = new TtlMap(clock);
    this.nodes = new TtlMap(clock);
    this.leases = new TtlMap(clock);
  }

  async ping(): Promise<void> {}

  /** Memory is always there: nobody is ever told otherwise. */
  onAvailability(_listener: (available: boolean) => void): void {}

  async init(): Promise<void> {
    this.closed = false;
    this.scheduleSweep();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sweeper?.cancel();
    this.sweeper = null;
  }

  async createTicket(ticket: Ticket, ttlMs: number): Promise<void> {
    this.tickets.set(ticket.id, copyTicket(ticket), ttlMs);
    this.buffers.set(ticket.id, { visitor: [], operator: [], bytes: { visitor: 0, operator: 0 } }, ttlMs);
    this.order.set(ticket.id, this.created++);
    if (ticket.state === 'waiting') {
      setIn(this.topicQueues, topicQueue(ticket)).add(ticket.id);
      setIn(this.languageQueues, languageQueue(ticket)).add(ticket.id);
    }
  }

  async getTicket(id: TicketId): Promise<Ticket | undefined> {
    const t = this.tickets.get(id);
    return t && copyTicket(t);
  }

  async listTickets(): Promise<Ticket[]> {
    return this.tickets.values().map(copyTicket);
  }

  async waitingTickets(perQueue: number): Promise<RoutingTicket[]> {
    const head: RoutingTicket[] = [];
    for (const queue of this.topicQueues.values()) {
      let taken = 0;
      for (const id of queue) {
        if (taken >= perQueue) break;
        const t = this.waitingIn(queue, id);
        if (!t) continue;
        taken++;
        const { channel, line, language, topic, createdAt, state, offer, triedBy, visitorNode } = t;
        head.push({ id, channel, line, language, topic, createdAt, state, offer: offer && { ...offer }, triedBy: [...triedBy], visitorNode });
      }
    }
    return head.sort((a, b) => this.order.get(a.id)! - this.order.get(b.id)!);
  }

  async queuePositions(tickets: readonly QueueRef[]): Promise<Map<TicketId, number>> {
    const wantedByQueue = new Map<string, Set<TicketId>>();
    for (const t of tickets) setIn(wantedByQueue, languageQueue(t)).add(t.id);
    const positions = new Map<TicketId, number>();
    for (const [key, wanted] of wantedByQueue) {
      const queue = this.languageQueues.get(key);
      let place = 0;
      let left = wanted.size;
      for (const id of queue ?? []) {
        if (left === 0) break;
        if (!this.waitingIn(queue!, id)) continue;
        place++;
        if (wanted.has(id)) {
          positions.set(id, place);
          left--;
        }
      }
    }
    return positions;
  }

  private unqueue(t: Ticket): void {
    this.topicQueues.get(topicQueue(t))?.delete(t.id);
    this.languageQueues.get(languageQueue(t))?.delete(t.id);
  }

  /** The ticket if it still waits; otherwise its queue entry goes (the caller iterates on). */
  private waitingIn(queue: Set<TicketId>, id: TicketId): Ticket | undefined {
    const t = this.tickets.get(id);
    if (t?.state === 'waiting') return t;
    queue.delete(id);
    if (!t) this.order.delete(id);
    return undefined;
  }

  async offerTicket(id: TicketId, offer: Offer, now: number): Promise<boolean> {
    const t = this.tickets.get(id);
    if (!t || t.state !== 'waiting' || (t.offer && t.offer.expiresAt > now)) return false;
    t.offer = { ...offer };
    return true;
  }

  async withdrawOffer(id: TicketId, operatorId: OperatorId): Promise<boolean> {
    const t = this.tickets.get(id);
    if (!t || t.state !== 'waiting' || t.offer?.operatorId !== operatorId) return false;
    t.offer = null;
    if (!t.triedBy.includes(operatorId)) t.triedBy.push(operatorId);
    return true;
  }

  async acceptOffer(
    id: TicketId,
    operatorId: OperatorId,
    operatorKey: string,
    now: number,
    proof: ChatKeyProof | null = null,
    callRule: CallCapacityRule = DEFAULT_CALL_CAPACITY_RULE,
  ): Promise<AcceptResult> {
    const t = this.tickets.get(id);
    if (!t || t.state !== 'waiting' || t.offer?.operatorId !== operatorId || t.offer.expiresAt <= now) {
      return { ok: false, reason: 'gone' };
    }
    const op = this.presence.get(operatorId);
    if (op) this.tidy(op);
    if (!op || !fits({ taken: op.active.length, capacity: op.capacity, onCall: op.call !== null }, t.channel, callRule)) {
      return { ok: false, reason: 'at-capacity' };
    }
    if (t.channel === 'call') op.call = id;
    t.state = 'active';
    this.unqueue(t);
    t.offer = null;
    t.operatorId = operatorId;
    t.operatorKey = operatorKey;
    t.operatorProof = proof && deepFreeze(structuredClone(proof));
    t.operatorName = op.name;
    t.acceptedAt = now;
    op.active.push(id);
    return { ok: true, ticket: copyTicket(t) };
  }

  async endTicket(id: TicketId, by: EndedBy, now: number, graceMs: number, options: EndOptions = {}): Promise<Ticket | undefined> {
    const t = this.tickets.get(id);
    if (!t || t.state === 'ended') return undefined;
    if (options.ifDetachedEpoch !== undefined && (t.visitorNode !== null || t.visitorEpoch !== options.ifDetachedEpoch)) return undefined;
    const before = copyTicket(t);
    this.unqueue(t);
    t.state = 'ended';
    t.offer = null;
    t.endedBy = by;
    t.endedAt = now;
    if (t.operatorId) this.release(t.operatorId, id, now);
    this.tickets.expire(id, graceMs);
    // Nobody can be sent the messages of an ended chat: its ciphertext goes at once.
    this.buffers.delete(id);
    return before;
  }

  async deleteTicket(id: TicketId): Promise<void> {
    const t = this.tickets.get(id);
    if (t) this.unqueue(t);
    this.order.delete(id);
    if (t?.operatorId && t.state === 'active') this.release(t.operatorId, id, this.clock.now());
    this.tickets.delete(id);
    this.buffers.delete(id);
  }

  async attachVisitor(id: TicketId, node: string): Promise<number | undefined> {
    const t = this.tickets.get(id);
    if (!t) return undefined;
    t.visitorNode = node;
    t.visitorEpoch += 1;
    t.detachedAt = null;
    return t.visitorEpoch;
  }

  async detachVisitor(id: TicketId, epoch: number, now: number): Promise<boolean> {
    const t = this.tickets.get(id);
    if (!t || t.visitorEpoch !== epoch || t.visitorNode === null) return false;
    t.visitorNode = null;
    t.detachedAt = now;
    return true;
  }

  async appendMessage(id: TicketId, from: Sender, message: SealedMessage): Promise<AppendResult> {
    const buffers = this.buffers.get(id);
    if (!buffers) return 'gap';
    const list = buffers[from];
    const last = list.length; // seqs are 1..n, so the count is the last seq
    if (message.seq <= last) return 'duplicate';
    if (message.seq !== last + 1) return 'gap';
    if (list.length >= MAX_BUFFERED_MESSAGES || buffers.bytes[from] + message.data.length > MAX_BUFFERED_BYTES) return 'full';
    list.push({ seq: message.seq, data: message.data });
    buffers.bytes[from] += message.data.length;
    return 'stored';
  }

  async messagesAfter(id: TicketId, from: Sender, afterSeq: number): Promise<SealedMessage[]> {
    const buffers = this.buffers.get(id);
    return buffers ? buffers[from].slice(Math.max(0, afterSeq)).map((m) => ({ ...m })) : [];
  }

  async upsertPresence(profile: PresenceProfile, status: PresenceStatus, now: number, ttlMs: number): Promise<OperatorPresence> {
    const existing = this.presence.get(profile.id);
    const presence: OperatorPresence = {
      ...profile,
      status,
      active: existing ? this.liveChats(existing) : [],
      call: existing ? this.liveCall(existing) : null,
      statusSince: existing && existing.status === status ? existing.statusSince : now,
      idleSince: existing?.idleSince ?? now,
      nodes: existing?.nodes ?? [],
      disconnectedAt: existing?.disconnectedAt ?? null,
    };
    this.presence.set(profile.id, copyPresence(presence), ttlMs);
    return presence;
  }

  async setPresenceStatus(id: OperatorId, status: PresenceStatus, ttlMs: number, idleSince?: number): Promise<OperatorPresence | undefined> {
    const p = this.presence.get(id);
    if (!p) return undefined;
    if (p.status !== status) p.statusSince = this.clock.now();
    p.status = status;
    if (idleSince !== undefined) p.idleSince = idleSince;
    this.presence.expire(id, ttlMs);
    return copyPresence(p);
  }

  async getPresence(id: OperatorId): Promise<OperatorPresence | undefined> {
    const p = this.presence.get(id);
    return p && this.presenceView(p);
  }

  async listPresence(): Promise<OperatorPresence[]> {
    return this.presence.values().map((p) => this.presenceView(p));
  }

  async attachConsole(id: OperatorId, node: string): Promise<OperatorPresence | undefined> {
    const p = this.presence.get(id);
    if (!p) return undefined;
    if (!p.nodes.includes(node)) p.nodes.push(node);
    p.disconnectedAt = null;
    return copyPresence(p);
  }

  async detachConsole(id: OperatorId, node: string, now: number): Promise<OperatorPresence | undefined> {
    const p = this.presence.get(id);
    if (!p) return undefined;
    p.nodes = p.nodes.filter((n) => n !== node);
    if (p.nodes.length === 0) {
      p.statusSince = now;
      p.status = 'offline';
      p.disconnectedAt = now;
    }
    return copyPresence(p);
  }

  async heartbeatNode(node: string, _now: number, ttlMs: number): Promise<void> {
    this.nodes.set(node, true, ttlMs);
  }

  async liveNodes(_now: number): Promise<Set<string>> {
    this.nodes.sweep();
    return new Set(this.nodes.keys());
  }

  async forgetNode(node: string): Promise<void> {
    this.nodes.delete(node);
  }

  async claimLease(name: string, holder: string, _now: number, ttlMs: number): Promise<boolean> {
    const current = this.leases.get(name);
    if (current !== undefined && current !== holder) return false;
    this.leases.set(name, holder, ttlMs);
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.leases.get(name) === holder) this.leases.delete(name);
  }

  async putCallState(key: string, value: string, ttlMs: number, ifAbsent = false): Promise<string> {
    const held = this.callStates.get(key);
    if (ifAbsent && held !== undefined) return held;
    this.callStates.set(key, value, ttlMs);
    return value;
  }

  async getCallState(key: string): Promise<string | undefined> {
    return this.callStates.get(key);
  }

  async deleteCallState(key: string): Promise<void> {
    this.callStates.delete(key);
  }

  async putSession(tokenHash: string, session: OperatorSession, ttlMs: number): Promise<void> {
    this.sessions.set(tokenHash, { ...session }, ttlMs);
  }

  async getSession(tokenHash: string): Promise<OperatorSession | undefined> {
    const s = this.sessions.get(tokenHash);
    return s && { ...s };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.sessions.delete(tokenHash);
  }

  async listAccounts(): Promise<OperatorAccount[]> {
    return [...this.accounts.values()].map((a) => structuredClone(a));
  }

  async getAccount(id: OperatorId): Promise<OperatorAccount | undefined> {
    const account = this.accounts.get(id);
    return account && structuredClone(account);
  }

  async putAccount(account: OperatorAccount, mode: 'create' | 'replace'): Promise<boolean> {
    if (this.accounts.has(account.id) !== (mode === 'replace')) return false;
    this.accounts.set(account.id, structuredClone(account));
    return true;
  }

  async deleteAccount(id: OperatorId): Promise<boolean> {
    return this.accounts.delete(id);
  }

  async countAggregate(key: AggregateKey, field: AggregateField, ttlMs: number, amount = 1): Promise<void> {
    const id = bucketId(key);
    const bucket = this.buckets.get(id) ?? { ...key, counts: {} };
    bucket.counts[field] = (bucket.counts[field] ?? 0) + Math.round(amount);
    this.buckets.set(id, bucket, ttlMs);
  }

  async aggregates(): Promise<Aggregate[]> {
    return this.buckets.values().map(copy);
  }

  async aggregateBuckets(ids: readonly string[]): Promise<Aggregate[]> {
    const out: Aggregate[] = [];
    for (const id of ids) {
      const bucket = this.buckets.get(id);
      if (bucket) out.push(copy(bucket));
    }
    return out;
  }

  async aggregatesSince(from: number): Promise<Aggregate[]> {
    return this.buckets.values().filter((b) => Date.parse(b.start) >= from).map(copy);
  }

  async countDay(tally: DayTally, day: string, field: string, ttlMs: number): Promise<void> {
    const key = `${tally}|${day}`;
    const counts = this.dayTallies.get(key) ?? new Map<string, number>();
    counts.set(field, (counts.get(field) ?? 0) + 1);
    this.dayTallies.set(key, counts, ttlMs);
  }

  async dayTally(tally: DayTally, day: string): Promise<Map<string, number>> {
    return new Map(this.dayTallies.get(`${tally}|${day}`) ?? []);
  }

  async recordHandleTime(line: LineId, seconds: number): Promise<void> {
    const samples = [...(this.handleTimes.get(line) ?? []), seconds].slice(-HANDLE_TIME_SAMPLES);
    this.handleTimes.set(line, samples, HANDLE_TIME_TTL_MS);
  }

  async recentHandleTimes(line: LineId): Promise<number[]> {
    return [...(this.handleTimes.get(line) ?? [])];
  }

  /** How many records of each kind are held: lets tests prove that a purge purged. */
  counts(): { tickets: number; buffers: number; presence: number; sessions: number } {
    return {
      tickets: this.tickets.size,
      buffers: this.buffers.size,
      presence: this.presence.size,
      sessions: this.sessions.size,
    };
  }

  /** A copy that leaves out chats whose ticket expired without being ended. */
  private presenceView(p: OperatorPresence): OperatorPresence {
    return { ...copyPresence(p), active: this.liveChats(p), call: this.liveCall(p) };
  }

  private tidy(op: OperatorPresence): void {
    op.active = this.liveChats(op);
    op.call = this.liveCall(op);
  }

  private liveCall(op: OperatorPresence): TicketId | null {
    return op.call !== null && this.tickets.get(op.call)?.state === 'active' ? op.call : null;
  }

  /** A chat whose ticket expired without being ended must not hold a slot for ever. */
  private liveChats(op: OperatorPresence): TicketId[] {
    return op.active.filter((id) => this.tickets.get(id)?.state === 'active');
  }

  private release(operatorId: OperatorId, id: TicketId, now: number): void {
    const op = this.presence.get(operatorId);
    if (!op) return;
    op.active = op.active.filter((t) => t !== id);
    if (op.call === id) op.call = null;
    if (op.active.length === 0) op.idleSince = now;
  }

  private scheduleSweep(): void {
    if (this.closed) return;
    this.sweeper = this.clock.after(SWEEP_EVERY_MS, () => {
      for (const map of [this.tickets, this.buffers, this.presence, this.sessions, this.callStates, this.dayTallies, this.handleTimes, this.buckets, this.nodes, this.leases]) map.sweep();
      // Tickets that expired unseen leave their queue entries behind: drop them too.
      for (const id of this.order.keys()) if (!this.tickets.get(id)) this.order.delete(id);
      for (const queues of [this.topicQueues, this.languageQueues]) {
        for (const [key, queue] of queues) {
          for (const id of queue) if (!this.order.has(id)) queue.delete(id);
          if (queue.size === 0) queues.delete(key);
        }
      }
      this.scheduleSweep();
    });
  }
}

/** Only aggregates, read rarely, are copied the general way. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Field by field: structuredClone took a tenth of a node's CPU under load (it ran on every
 * message). A proof is frozen when stored and shared, never changed.
 */
function copyTicket(t: Ticket): Ticket {
  return { ...t, offer: t.offer && { ...t.offer }, triedBy: [...t.triedBy] };
}

function copyPresence(p: OperatorPresence): OperatorPresence {
  return { ...p, lines: [...p.lines], languages: [...p.languages], topics: [...p.topics], active: [...p.active], nodes: [...p.nodes] };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const topicQueue = (t: Pick<Ticket, 'line' | 'language' | 'topic'>) => `${t.line}\u0000${t.language}\u0000${t.topic}`;
const languageQueue = (t: Pick<Ticket, 'line' | 'language'>) => `${t.line}\u0000${t.language}`;

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
