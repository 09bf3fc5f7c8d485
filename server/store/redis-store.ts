import type { LineId, OperatorId, TicketId } from '../../protocol/ids.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import type { ChatKeyProof } from '../../identity/certificates.js';
import type { Clock } from '../clock.js';
import { errorFields, type Logger } from '../logging.js';
import type { Offer, OperatorPresence, PresenceStatus, Ticket } from '../routing/types.js';
import { bucketId, type Aggregate, type AggregateField, type AggregateKey } from '../stats/aggregates.js';
import { RedisLink, type LuaScript } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import {
  decodePeek,
  decodePresenceReply,
  decodeTicket,
  isLiveChat,
  isStaleHold,
  presenceFrom,
  record,
  scored,
  ticketFields,
  type Flat,
  type PresenceReply,
  type StoredTicket,
} from './redis-records.js';
import * as lua from './redis-scripts.js';
import {
  HANDLE_TIME_SAMPLES,
  HANDLE_TIME_TTL_MS,
  MAX_BUFFERED_BYTES,
  MAX_BUFFERED_MESSAGES,
  StoreUnavailableError,
  type AcceptResult,
  type AppendResult,
  type EndOptions,
  type OperatorSession,
  type PresenceProfile,
  type SealedMessage,
  type Sender,
  type Store,
} from './store.js';

export interface RedisStoreOptions {
  /** redis://host:port of a single Redis. */
  url?: string;
  /** Cluster masters (redis://host:port): Cluster mode when given. */
  clusterNodes?: string[];
  /** Every key starts with `${prefix}:`. */
  prefix: string;
  clock: Clock;
  logger?: Logger;
}

/**
 * A slot reserved for an accept that has not claimed its ticket yet is never freed by someone
 * else before this much time (on the store's clock) has passed: only a crashed accept leaves
 * one that old.
 */
const RESERVATION_MARGIN_MS = 10_000;
/** How many windows of a waiting queue one read looks through past stale entries. */
const MAX_QUEUE_WINDOWS = 8;

/**
 * The Store for many nodes: every record in Redis (single or Cluster), every key under one
 * prefix and with a TTL, every multi-step change one Lua script on one slot.
 *
 * Accepting is the one operation that spans two slots (the ticket's and the operator's); it
 * runs in three steps that keep both promises — one ticket to one operator, nobody over
 * capacity — whatever runs concurrently on other nodes:
 *  1. on the operator's slot, reserve a place in their `held` set, refused at capacity;
 *  2. on the ticket's slot, claim the ticket (waiting, offered to them, unexpired → active);
 *  3. if the claim failed, give the place back.
 * A place whose ticket is gone, ended or someone else's is pruned by whoever finds it; one
 * whose ticket still waits only after RESERVATION_MARGIN_MS. The indexes (creation order,
 * queues, presence) live in slots of their own, are updated after the record, and are read
 * tolerantly: an entry whose record is gone or changed is skipped and pruned.
 */
export class RedisStore implements Store {
  private readonly keys: RedisKeys;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly link: RedisLink;

  constructor(options: RedisStoreOptions) {
    this.keys = new RedisKeys(options.prefix);
    this.clock = options.clock;
    this.logger = options.logger;
    this.link = new RedisLink({ url: options.url, clusterNodes: options.clusterNodes, logger: options.logger });
  }

  /** Create and connect a store; rejects with StoreUnavailableError when Redis cannot be reached. */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(options);
    await store.init();
    return store;
  }

  async init(): Promise<void> {
    await this.link.connect();
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  ping(): Promise<void> {
    return this.link.ping();
  }

  onAvailability(listener: (available: boolean) => void): void {
    this.link.onAvailability(listener);
  }

  // ---- tickets ----

  async createTicket(ticket: Ticket, ttlMs: number): Promise<void> {
    const ttl = String(ttlMs);
    // The record first, its index entries after: a reader that finds an entry finds the record.
    const ord = Number(await this.run(lua.counterNext, [this.keys.ticketSeq], [ttl]));
    const exp = this.clock.now() + ttlMs;
    await this.run(lua.ticketCreate, this.keys.ticketKeys(ticket.id), [ttl, ...ticketFields(ticket, exp, ord)]);
    await Promise.all([
      this.run(lua.zsetAdd, [this.keys.ticketIndex], [String(ord), ticket.id, ttl]),
      ticket.state === 'waiting' ? this.run(lua.queueAdd, this.queueKeys(ticket), [String(ord), ticket.id, this.keys.queueName(ticket), ttl]) : null,
    ]);
  }

  async getTicket(id: TicketId): Promise<Ticket | undefined> {
    return (await this.readTicket(id))?.ticket;
  }

  async listTickets(): Promise<Ticket[]> {
    const entries = scored((await this.run(lua.zsetRange, [this.keys.ticketIndex], ['0', '-1'])) as Flat);
    const found = await Promise.all(entries.map((e) => this.readTicket(e.member)));
    const tickets: Ticket[] = [];
    const stale: Promise<unknown>[] = [];
    entries.forEach((entry, i) => {
      const t = found[i];
      if (t) tickets.push(t.ticket);
      else stale.push(this.followUp(lua.zsetRemoveIf, [this.keys.ticketIndex], [entry.member, String(entry.score)]));
    });
    await Promise.all(stale);
    return tickets;
  }

  async waitingTickets(perQueue: number): Promise<Ticket[]> {
    if (perQueue <= 0) return [];
    const names = (await this.run(lua.setMembers, [this.keys.queueNames], [])) as string[];
    const heads = await Promise.all(names.map((name) => this.queueHead(name, perQueue)));
    return heads
      .flat()
      .sort((a, b) => a.ord - b.ord)
      .map((t) => t.ticket);
  }

  async queuePositions(ids: readonly TicketId[]): Promise<Map<TicketId, number>> {
    const found = await Promise.all(ids.map((id) => this.readTicket(id)));
    const waiting = found.filter((t): t is StoredTicket => t?.ticket.state === 'waiting');
    const ranks = await Promise.all(waiting.map((t) => this.run(lua.zsetRank, [this.keys.languageQueue(t.ticket)], [t.ticket.id])));
    const positions = new Map<TicketId, number>();
    waiting.forEach((t, i) => {
      const rank = ranks[i];
      if (typeof rank === 'number') positions.set(t.ticket.id, rank + 1);
    });
    return positions;
  }

  async offerTicket(id: TicketId, offer: Offer, now: number): Promise<boolean> {
    const args = [this.nowArg(), String(now), JSON.stringify(offer), offer.operatorId, String(offer.expiresAt)];
    return (await this.run(lua.ticketOffer, [this.keys.ticket(id)], args)) === 1;
  }

  async withdrawOffer(id: TicketId, operatorId: OperatorId): Promise<boolean> {
    return (await this.run(lua.ticketWithdraw, [this.keys.ticket(id)], [this.nowArg(), operatorId])) === 1;
  }

  async acceptOffer(id: TicketId, operatorId: OperatorId, operatorKey: string, now: number, proof: ChatKeyProof | null = null): Promise<AcceptResult> {
    // A cheap look first, so a ticket that is not this operator's to take reads 'gone' whatever their load.
    const before = await this.readTicket(id);
    const offer = before?.ticket.offer;
    if (!before || before.ticket.state !== 'waiting' || offer?.operatorId !== operatorId || offer.expiresAt <= now) {
      return { ok: false, reason: 'gone' };
    }
    const keys = [this.keys.presence(operatorId), this.keys.held(operatorId)];
    const reserve = async (stale: string[]) =>
      (await this.run(lua.heldReserve, keys, [this.nowArg(), id, String(now), String(RESERVATION_MARGIN_MS), ...stale])) as [string, string, Flat?];
    let [status, name, held] = await reserve([]);
    if (status === 'full' && held) {
      const stale = await this.staleHolds(operatorId, scored(held), now);
      if (stale.length > 0) [status, name] = await reserve(stale);
    }
    if (status === 'absent' || status === 'full') return { ok: false, reason: 'at-capacity' };
    if (status === 'busy') return { ok: false, reason: 'gone' };

    // If the claim's reply is lost the claim may still have happened: the place stays
    // reserved (pruned later if the ticket did not become theirs), never freed too early.
    const claimed = (await this.run(lua.ticketClaim, [this.keys.ticket(id)], [
      this.nowArg(),
      String(now),
      operatorId,
      operatorKey,
      proof ? JSON.stringify(proof) : '',
      name ?? '',
    ])) as Flat | null;
    if (!claimed) {
      await this.followUp(lua.zsetRemoveIf, [this.keys.held(operatorId)], [id, String(now)]);
      return { ok: false, reason: 'gone' };
    }
    const after = decodeTicket(claimed);
    await this.unqueue(after);
    return { ok: true, ticket: after.ticket };
  }

  async endTicket(id: TicketId, by: EndedBy, now: number, graceMs: number, options: EndOptions = {}): Promise<Ticket | undefined> {
    const epoch = options.ifDetachedEpoch === undefined ? '' : String(options.ifDetachedEpoch);
    const args = [this.nowArg(), String(now), by, String(graceMs), String(this.clock.now() + graceMs), epoch];
    const reply = (await this.run(lua.ticketEnd, this.keys.ticketKeys(id), args)) as Flat | null;
    if (!reply) return undefined;
    const before = decodeTicket(reply);
    // The chat has ended whatever happens next; the slot and queue entry, if left behind, are
    // found stale and pruned by the next reader.
    await Promise.all([before.ticket.operatorId ? this.release(before.ticket.operatorId, id, now) : null, this.unqueue(before)]);
    return before.ticket;
  }

  async deleteTicket(id: TicketId): Promise<void> {
    const [wasLive, flat] = (await this.run(lua.ticketDelete, this.keys.ticketKeys(id), [this.nowArg()])) as [number, Flat];
    if (flat.length === 0) return;
    const gone = decodeTicket(flat);
    const t = gone.ticket;
    await Promise.all([
      wasLive === 1 && t.state === 'active' && t.operatorId ? this.release(t.operatorId, id, this.clock.now()) : null,
      this.followUp(lua.zsetRemoveIf, [this.keys.ticketIndex], [id, String(gone.ord)]),
      this.unqueue(gone),
    ]);
  }

  async attachVisitor(id: TicketId, node: string): Promise<number | undefined> {
    const epoch = await this.run(lua.ticketAttach, [this.keys.ticket(id)], [this.nowArg(), node]);
    return typeof epoch === 'number' ? epoch : undefined;
  }

  async detachVisitor(id: TicketId, epoch: number, now: number): Promise<boolean> {
    return (await this.run(lua.ticketDetach, [this.keys.ticket(id)], [this.nowArg(), String(epoch), String(now)])) === 1;
  }

  // ---- messages ----

  async appendMessage(id: TicketId, from: Sender, message: SealedMessage): Promise<AppendResult> {
    const args = [
      this.nowArg(),
      String(message.seq),
      message.data,
      String(message.data.length),
      from === 'visitor' ? 'vb' : 'ob',
      String(MAX_BUFFERED_MESSAGES),
      String(MAX_BUFFERED_BYTES),
    ];
    return (await this.run(lua.messageAppend, [this.keys.ticket(id), this.keys.messages(id, from)], args)) as AppendResult;
  }

  async messagesAfter(id: TicketId, from: Sender, afterSeq: number): Promise<SealedMessage[]> {
    const after = Math.max(0, Math.floor(afterSeq));
    const data = (await this.run(lua.messagesRead, [this.keys.ticket(id), this.keys.messages(id, from)], [this.nowArg(), String(after)])) as string[];
    return data.map((d, i) => ({ seq: after + i + 1, data: d }));
  }

  // ---- presence ----

  async upsertPresence(profile: PresenceProfile, status: PresenceStatus, now: number, ttlMs: number): Promise<OperatorPresence> {
    const id = profile.id;
    const exp = this.clock.now() + ttlMs;
    // Chats whose ticket is gone or ended are dropped on the way (as the interface promises).
    const held = scored((await this.run(lua.zsetRange, [this.keys.held(id)], ['0', '-1'])) as Flat);
    const stale = await this.staleHolds(id, held, now);
    const args = [this.nowArg(), String(now), String(ttlMs), String(exp), JSON.stringify(profile), profile.name, String(profile.capacity), status, ...stale];
    const reply = await this.run(lua.presenceUpsert, this.presenceKeys(id), args);
    await this.touchPresenceIndex(id, exp, ttlMs);
    return (await this.presenceView(id, reply))!;
  }

  async setPresenceStatus(id: OperatorId, status: PresenceStatus, ttlMs: number, idleSince?: number): Promise<OperatorPresence | undefined> {
    const exp = this.clock.now() + ttlMs;
    const args = [this.nowArg(), status, String(ttlMs), String(exp), idleSince === undefined ? '' : String(idleSince)];
    const reply = await this.run(lua.presenceStatus, this.presenceKeys(id), args);
    if (!reply) return undefined;
    await this.touchPresenceIndex(id, exp, ttlMs);
    return this.presenceView(id, reply);
  }

  async getPresence(id: OperatorId): Promise<OperatorPresence | undefined> {
    return this.presenceView(id, await this.run(lua.presenceRead, this.presenceKeys(id), [this.nowArg()]));
  }

  async listPresence(): Promise<OperatorPresence[]> {
    const ids = (await this.run(lua.zsetAlive, [this.keys.presenceIndex], [this.nowArg(), '1'])) as string[];
    const all = await Promise.all(ids.map((id) => this.getPresence(id)));
    return all.filter((p): p is OperatorPresence => p !== undefined);
  }

  async attachConsole(id: OperatorId, node: string): Promise<OperatorPresence | undefined> {
    return this.presenceView(id, await this.run(lua.consoleAttach, this.presenceKeys(id), [this.nowArg(), node]));
  }

  async detachConsole(id: OperatorId, node: string, now: number): Promise<OperatorPresence | undefined> {
    return this.presenceView(id, await this.run(lua.consoleDetach, this.presenceKeys(id), [this.nowArg(), node, String(now)]));
  }

  // ---- nodes ----

  async heartbeatNode(node: string, now: number, ttlMs: number): Promise<void> {
    await this.run(lua.nodeBeat, [this.keys.nodes], [node, String(now + ttlMs), String(now), String(ttlMs)]);
  }

  async liveNodes(now: number): Promise<Set<string>> {
    return new Set((await this.run(lua.zsetAlive, [this.keys.nodes], [String(now), '0'])) as string[]);
  }

  async forgetNode(node: string): Promise<void> {
    await this.run(lua.zsetRemove, [this.keys.nodes], [node]);
  }

  // ---- sessions ----

  async putSession(tokenHash: string, session: OperatorSession, ttlMs: number): Promise<void> {
    const value = JSON.stringify({ session, exp: this.clock.now() + ttlMs });
    await this.run(lua.stringSet, [this.keys.session(tokenHash)], [value, String(ttlMs)]);
  }

  async getSession(tokenHash: string): Promise<OperatorSession | undefined> {
    const value = (await this.run(lua.stringGet, [this.keys.session(tokenHash)], [])) as string | null;
    if (!value) return undefined;
    const { session, exp } = JSON.parse(value) as { session: OperatorSession; exp: number };
    return exp > this.clock.now() ? session : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.run(lua.keyDelete, [this.keys.session(tokenHash)], []);
  }

  // ---- aggregates and handle times ----

  async countAggregate(key: AggregateKey, field: AggregateField, ttlMs: number): Promise<void> {
    const id = bucketId(key);
    const bucket = { hour: key.hour, line: key.line, language: key.language, topic: key.topic };
    const args = [this.nowArg(), id, JSON.stringify(bucket), field, String(this.clock.now() + ttlMs), String(ttlMs)];
    await this.run(lua.aggregateCount, [this.keys.aggregateIndex, this.keys.aggregate(id)], args);
  }

  async aggregates(): Promise<Aggregate[]> {
    const ids = (await this.run(lua.zsetAlive, [this.keys.aggregateIndex], [this.nowArg(), '1'])) as string[];
    const hashes = await Promise.all(ids.map((id) => this.run(lua.hashGetLive, [this.keys.aggregate(id)], [this.nowArg()])));
    const out: Aggregate[] = [];
    for (const flat of hashes) {
      if (!flat) continue;
      const h = record(flat as Flat);
      const counts: Record<string, number> = {};
      for (const [field, value] of Object.entries(h)) if (field.startsWith('c:')) counts[field.slice(2)] = Number(value);
      out.push({ ...(JSON.parse(h.key ?? '{}') as AggregateKey), counts });
    }
    return out;
  }

  async recordHandleTime(line: LineId, seconds: number): Promise<void> {
    const args = [this.nowArg(), String(seconds), String(this.clock.now() + HANDLE_TIME_TTL_MS), String(HANDLE_TIME_TTL_MS), String(HANDLE_TIME_SAMPLES)];
    await this.run(lua.handleTimeRecord, this.keys.handleTimes(line), args);
  }

  async recentHandleTimes(line: LineId): Promise<number[]> {
    return ((await this.run(lua.handleTimesRead, this.keys.handleTimes(line), [this.nowArg()])) as string[]).map(Number);
  }

  // ---- helpers ----

  private run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    return this.link.run(script, keys, args);
  }

  /**
   * A step after the one that decided: if Redis is unreachable now, what it would have tidied
   * stays behind for a reader to find stale and prune, so the caller is not told the decided
   * part failed.
   */
  private async followUp(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.run(script, keys, args);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger?.warn({ event: 'store-follow-up-failed', ...errorFields(error) }, 'redis follow-up step left for later');
      return undefined;
    }
  }

  private nowArg(): string {
    return String(this.clock.now());
  }

  private async readTicket(id: TicketId): Promise<StoredTicket | undefined> {
    const flat = (await this.run(lua.ticketGet, [this.keys.ticket(id)], [this.nowArg()])) as Flat | null;
    return flat ? decodeTicket(flat) : undefined;
  }

  private queueKeys(t: Ticket): string[] {
    return [this.keys.queueNames, this.keys.waitingQueue(this.keys.queueName(t)), this.keys.languageQueue(t)];
  }

  private async unqueue(stored: StoredTicket): Promise<void> {
    const t = stored.ticket;
    await this.followUp(lua.queueRemove, this.queueKeys(t), [t.id, String(stored.ord), this.keys.queueName(t)]);
  }

  /** The oldest `n` tickets still waiting in one topic queue, pruning entries that no longer wait. */
  private async queueHead(name: string, n: number): Promise<StoredTicket[]> {
    const key = this.keys.waitingQueue(name);
    const head: StoredTicket[] = [];
    let offset = 0;
    for (let window = 0; window < MAX_QUEUE_WINDOWS && head.length < n; window++) {
      const want = n - head.length;
      const entries = scored((await this.run(lua.zsetRange, [key], [String(offset), String(offset + want - 1)])) as Flat);
      const found = await Promise.all(entries.map((e) => this.readTicket(e.member)));
      let pruned = 0;
      await Promise.all(
        entries.map(async (entry, i) => {
          const t = found[i];
          if (t && t.ticket.state === 'waiting' && t.ord === entry.score) {
            head.push(t);
            return;
          }
          const keys = this.queueKeys({ id: entry.member, ...queueOf(name) } as Ticket);
          const removed = await this.followUp(lua.queueRemove, keys, [entry.member, String(entry.score), name]);
          if (typeof removed === 'number' && removed > 0) pruned += 1;
        }),
      );
      if (entries.length < want) break;
      offset += entries.length - pruned;
    }
    return head.sort((a, b) => a.ord - b.ord).slice(0, n);
  }

  /** Held tickets of an operator that may be freed now (see isStaleHold). */
  private async staleHolds(operatorId: OperatorId, held: { member: TicketId; score: number }[], now: number): Promise<TicketId[]> {
    const clockNow = this.clock.now();
    const peeks = await Promise.all(held.map((h) => this.run(lua.ticketPeek, [this.keys.ticket(h.member)], [])));
    return held.filter((h, i) => isStaleHold(decodePeek(peeks[i], clockNow), operatorId, h.score, now, RESERVATION_MARGIN_MS)).map((h) => h.member);
  }

  /** Free the operator's slot for a ticket; idle from `now` when nothing they hold is a live chat. */
  private async release(operatorId: OperatorId, id: TicketId, now: number): Promise<void> {
    const keys = this.presenceKeys(operatorId);
    try {
      const left = scored((await this.run(lua.heldRelease, keys, [this.nowArg(), id, String(now)])) as Flat);
      if (left.length === 0) return;
      // What is left may be only leftovers (expired chats): then the operator is idle too.
      const stale = await this.staleHolds(operatorId, left, now);
      if (stale.length === left.length) await this.run(lua.heldRelease, keys, [this.nowArg(), id, String(now), ...stale]);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger?.warn({ event: 'store-follow-up-failed', operator: operatorId, ...errorFields(error) }, 'redis slot release left for later');
    }
  }

  private presenceKeys(id: OperatorId): string[] {
    return [this.keys.presence(id), this.keys.held(id)];
  }

  private async touchPresenceIndex(id: OperatorId, exp: number, ttlMs: number): Promise<void> {
    await this.run(lua.zsetRaise, [this.keys.presenceIndex], [String(exp), id, String(ttlMs)]);
  }

  /** Presence as callers see it: `active` lists only the held tickets that are live chats of theirs. */
  private async presenceView(id: OperatorId, reply: unknown): Promise<OperatorPresence | undefined> {
    const decoded: PresenceReply | undefined = decodePresenceReply(reply);
    if (!decoded) return undefined;
    const clockNow = this.clock.now();
    const peeks = await Promise.all(decoded.held.map((h) => this.run(lua.ticketPeek, [this.keys.ticket(h.member)], [])));
    const active = decoded.held.filter((_, i) => isLiveChat(decodePeek(peeks[i], clockNow), id)).map((h) => h.member);
    return presenceFrom(decoded.hash, active);
  }
}

/** line, language and topic back from a queue name, to tidy an entry whose ticket is gone. */
function queueOf(name: string): Pick<Ticket, 'line' | 'language' | 'topic'> {
  const [line = '', language = '', topic = ''] = name.split(':').map(decodeURIComponent);
  return { line, language, topic };
}
