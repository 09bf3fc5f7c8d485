import type { LineId, OperatorId, TicketId } from '../../protocol/ids.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import type { ChatKeyProof } from '../../identity/certificates.js';
import type { Clock } from '../clock.js';
import { DEFAULT_CALL_CAPACITY_RULE, type CallCapacityRule } from '../routing/call-capacity.js';
import { errorFields, type Logger } from '../logging.js';
import type { Offer, OperatorPresence, PresenceStatus, QueueRef, RoutingTicket, Ticket } from '../routing/types.js';
import { bucketId, type Aggregate, type AggregateField, type AggregateKey } from '../stats/aggregates.js';
import { parseAccount, type OperatorAccount } from '../accounts/account.js';
import { RedisLink, type LuaScript } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import {
  decodeHolds,
  decodePeek,
  decodePresenceReply,
  decodeRoute,
  decodeRouteFields,
  decodeTicket,
  encodeRoute,
  isLiveChat,
  isStaleHold,
  parseRosterEntry,
  presenceFrom,
  presenceFromRoster,
  record,
  routeOf,
  scored,
  ticketFields,
  type Flat,
  type Holds,
  type RosterEntry,
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
  type DayTally,
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
/** Stale queue entries one routing read prunes at most, so that read stays short; the next goes on. */
const MAX_PRUNED_PER_READ = 1_000;
/**
 * A full scan reads a single Redis LIST_BATCH tickets per script (about 0.8 ms of Redis time
 * each, so nobody waits long behind one), LIST_IN_FLIGHT scripts at a time: sent all at once
 * they would queue this node's routing behind the whole scan. A Cluster is read one HGETALL per
 * ticket, LIST_WAVE at a time, for the same reason.
 */
const LIST_BATCH = 100;
const LIST_IN_FLIGHT = 2;
const LIST_WAVE = 1_000;

/**
 * The Store for many nodes: every record in Redis (single or Cluster), every key under one
 * prefix and with a TTL, every multi-step change one Lua script on one slot.
 *
 * Accepting is the one operation that spans two slots (the ticket's and the {presence} slot);
 * it runs in three steps that keep both promises — one ticket to one operator, nobody over
 * capacity — whatever runs concurrently on other nodes:
 *  1. on the presence slot, reserve a place in the operator's `held` set, refused at capacity;
 *  2. on the ticket's slot, claim the ticket (waiting, offered to them, unexpired → active);
 *  3. if the claim failed, give the place back; if it succeeded, confirm the place as their
 *     chat, with the ticket's logical expiry (`chats`).
 * A place whose ticket is gone, ended or someone else's is pruned by whoever peeks it; one
 * whose ticket still waits only after RESERVATION_MARGIN_MS. The indexes (creation order,
 * queues) live in slots of their own, are updated after the record, and are read tolerantly:
 * an entry whose record is gone or changed is skipped and pruned.
 *
 * Presence is read two ways. listPresence, on every routing run, reads the roster (one entry
 * per operator, kept by the presence scripts) and no ticket: an operator's chats are their
 * confirmed places whose ticket has not run out. It trusts the follow-up steps — an end's
 * release, an accept's confirm — so for the moment between a ticket's change and that step
 * it may show a chat just ended, or miss one just accepted; routing takes either in its
 * stride (an offer too many is refused at accept, one too few made on the next run). The
 * reads of one operator (getPresence and the changes that reply presence) peek every held
 * ticket instead, exact whatever was lost, and put right what they find: a lost release or
 * confirm shows in listPresence only until the operator's presence is next read or changed.
 *
 * Routing reads no ticket records: each queued ticket has a summary of what routing needs
 * (RoutingTicket) beside the queues, in the {queues} slot, so the heads of every queue and
 * places in them are one script each. A summary is written with the queue entries and removed
 * with them; every other change to a field it holds bumps the ticket's `ver`, and the summary
 * follows in a second step that only ever replaces it with a newer version (steps from
 * different nodes may cross). If that step is lost (Redis went away in between) the summary
 * lags until the ticket's next change; an offer refused on a lagging or stale summary puts
 * it right, and so does the background sweep's listTickets for tickets no longer waiting.
 */
/** Buckets read per script call: a day's quarter hours of a few queues at a time. */
const AGGREGATE_READ_BATCH = 500;

export class RedisStore implements Store {
  private readonly keys: RedisKeys;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly link: RedisLink;
  /** Tickets this store is creating now, by id (see createTicket). */
  private readonly creating = new Map<TicketId, Promise<void>>();
  /**
   * The roster entries the last listPresence read, parsed, by their JSON: from one routing run
   * to the next most operators' entries are unchanged, and parsing them was most of the read's
   * cost on this side (npm run bench -- --only=routing --profile).
   */
  private rosterParsed = new Map<string, RosterEntry>();

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
    // Changes to this ticket made here while it is created wait for its queue entry: their
    // summary step would otherwise find no entry yet, and be dropped.
    const created = this.create(ticket, ttlMs);
    this.creating.set(ticket.id, created);
    try {
      await created;
    } finally {
      if (this.creating.get(ticket.id) === created) this.creating.delete(ticket.id);
    }
  }

  private async create(ticket: Ticket, ttlMs: number): Promise<void> {
    const ttl = String(ttlMs);
    // The record first, its index entries after: a reader that finds an entry finds the record.
    const ord = Number(await this.run(lua.counterNext, [this.keys.ticketSeq], [ttl]));
    const exp = this.clock.now() + ttlMs;
    await this.run(lua.ticketCreate, this.keys.ticketKeys(ticket.id), [ttl, ...ticketFields(ticket, exp, ord)]);
    const name = this.keys.queueName(ticket);
    await Promise.all([
      this.run(lua.zsetAdd, [this.keys.ticketIndex], [String(ord), ticket.id, ttl]),
      ticket.state === 'waiting'
        ? this.run(lua.queueAdd, this.queueSlot(), [ticket.id, String(ord), name, ttl, encodeRoute(routeOf(ticket, 0, ord, exp), name)])
        : null,
    ]);
  }

  async getTicket(id: TicketId): Promise<Ticket | undefined> {
    return (await this.readTicket(id))?.ticket;
  }

  async listTickets(): Promise<Ticket[]> {
    const entries = scored((await this.run(lua.zsetRange, [this.keys.ticketIndex], ['0', '-1'])) as Flat);
    const found = await this.readTickets(entries.map((e) => e.member));
    const tickets: Ticket[] = [];
    const stale: Promise<unknown>[] = [];
    // Summaries of tickets no longer waiting, left by a lost step: the sweep tidies them.
    const unqueued: string[] = [];
    entries.forEach((entry, i) => {
      const t = found[i];
      if (t) tickets.push(t.ticket);
      else stale.push(this.followUp(lua.zsetRemoveIf, [this.keys.ticketIndex], [entry.member, String(entry.score)]));
      if (!t || t.ticket.state !== 'waiting') unqueued.push(entry.member, String(entry.score));
    });
    if (unqueued.length > 0) stale.push(this.followUp(lua.routeDrop, this.queueSlot(), unqueued));
    await Promise.all(stale);
    return tickets;
  }

  async waitingTickets(perQueue: number): Promise<RoutingTicket[]> {
    const per = Math.floor(Math.min(perQueue, 1_000_000));
    if (!(per > 0)) return [];
    const summaries = (await this.run(lua.routeHeads, this.queueSlot(), [this.nowArg(), String(per), String(MAX_PRUNED_PER_READ)])) as string[];
    return summaries
      .map(decodeRoute)
      .sort((a, b) => a.ord - b.ord)
      .map((r) => r.ticket);
  }

  async queuePositions(tickets: readonly QueueRef[]): Promise<Map<TicketId, number>> {
    const positions = new Map<TicketId, number>();
    if (tickets.length === 0) return positions;
    const keys = this.queueSlot();
    const pairs: string[] = [];
    for (const t of tickets) {
      const key = this.keys.languageQueue(t);
      let at = keys.indexOf(key, 2);
      if (at < 0) at = keys.push(key) - 1;
      pairs.push(String(at + 1), t.id); // Lua counts KEYS from 1
    }
    const places = (await this.run(lua.queueRanks, keys, [this.nowArg(), String(MAX_PRUNED_PER_READ), ...pairs])) as (number | null)[];
    tickets.forEach((t, i) => {
      const place = places[i];
      if (typeof place === 'number') positions.set(t.id, place);
    });
    return positions;
  }

  async offerTicket(id: TicketId, offer: Offer, now: number): Promise<boolean> {
    const args = [this.nowArg(), String(now), JSON.stringify(offer), offer.operatorId, String(offer.expiresAt)];
    const [status, detail] = (await this.run(lua.ticketOffer, [this.keys.ticket(id)], args)) as [number, unknown];
    // Refused: the summary routing read may lag (a live offer it did not show) or be stale
    // (the ticket left its queue in a step that was lost); put it right before answering.
    if (status === -1) await this.followUp(lua.routeDrop, this.queueSlot(), [id, typeof detail === 'string' ? detail : '']);
    else await this.updateRoute(id, detail);
    return status === 1;
  }

  async withdrawOffer(id: TicketId, operatorId: OperatorId): Promise<boolean> {
    const fields = await this.run(lua.ticketWithdraw, [this.keys.ticket(id)], [this.nowArg(), operatorId]);
    if (!fields) return false;
    await this.updateRoute(id, fields);
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
    // A cheap look first, so a ticket that is not this operator's to take reads 'gone' whatever their load.
    const before = await this.readTicket(id);
    const offer = before?.ticket.offer;
    if (!before || before.ticket.state !== 'waiting' || offer?.operatorId !== operatorId || offer.expiresAt <= now) {
      return { ok: false, reason: 'gone' };
    }
    const keys = this.keys.presenceKeys(operatorId);
    const reserve = async (tidy: string[]) =>
      (await this.run(lua.heldReserve, keys, [
        this.nowArg(),
        id,
        String(now),
        String(RESERVATION_MARGIN_MS),
        before.ticket.channel,
        callRule,
        ...tidy,
      ])) as [string, string, unknown?];
    let [status, name, holds] = await reserve([]);
    if (status === 'full' && holds) {
      const { tidy } = await this.peekHolds(operatorId, decodeHolds(holds), now);
      if (tidy.length > 0) [status, name] = await reserve(tidy);
    }
    if (status === 'absent' || status === 'full') return { ok: false, reason: 'at-capacity' };
    if (status === 'busy') return { ok: false, reason: 'gone' };

    // If the claim's reply is lost the claim may still have happened: the place stays
    // reserved (pruned later if the ticket did not become theirs, confirmed by the next exact
    // read if it did), never freed too early.
    const claimed = (await this.run(lua.ticketClaim, [this.keys.ticket(id)], [
      this.nowArg(),
      String(now),
      operatorId,
      operatorKey,
      proof ? JSON.stringify(proof) : '',
      name ?? '',
    ])) as Flat | null;
    if (!claimed) {
      await this.followUp(lua.heldGiveBack, this.keys.presenceKeys(operatorId), [id, String(now)]);
      return { ok: false, reason: 'gone' };
    }
    const after = decodeTicket(claimed);
    await Promise.all([this.unqueue(after), this.followUp(lua.heldConfirm, keys, [id, String(now), String(after.exp)])]);
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
    const reply = (await this.run(lua.ticketAttach, [this.keys.ticket(id)], [this.nowArg(), node])) as [number, unknown] | null;
    if (!reply) return undefined;
    await this.updateRoute(id, reply[1]);
    return reply[0];
  }

  async detachVisitor(id: TicketId, epoch: number, now: number): Promise<boolean> {
    const fields = await this.run(lua.ticketDetach, [this.keys.ticket(id)], [this.nowArg(), String(epoch), String(now)]);
    if (!fields) return false;
    await this.updateRoute(id, fields);
    return true;
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
    const keys = this.keys.presenceKeys(id);
    const exp = this.clock.now() + ttlMs;
    // Chats whose ticket is gone or ended are dropped on the way (as the interface promises).
    const { tidy } = await this.peekHolds(id, decodeHolds(await this.run(lua.heldRead, keys, [])), now);
    const args = [this.nowArg(), String(now), String(ttlMs), String(exp), JSON.stringify(profile), profile.name, String(profile.capacity), status, ...tidy];
    const reply = await this.run(lua.presenceUpsert, keys, args);
    return (await this.presenceView(id, reply))!;
  }

  async setPresenceStatus(id: OperatorId, status: PresenceStatus, ttlMs: number, idleSince?: number): Promise<OperatorPresence | undefined> {
    const exp = this.clock.now() + ttlMs;
    const args = [this.nowArg(), status, String(ttlMs), String(exp), idleSince === undefined ? '' : String(idleSince)];
    return this.presenceView(id, await this.run(lua.presenceStatus, this.keys.presenceKeys(id), args));
  }

  async getPresence(id: OperatorId): Promise<OperatorPresence | undefined> {
    return this.presenceView(id, await this.run(lua.presenceRead, this.keys.presenceKeys(id), [this.nowArg()]));
  }

  /** One read of the roster, however many operators: see the class comment for how it knows their chats. */
  async listPresence(): Promise<OperatorPresence[]> {
    const clockNow = this.clock.now();
    const entries = (await this.run(lua.presenceList, [this.keys.roster, this.keys.presenceIndex], [String(clockNow)])) as string[];
    const parsed = new Map<string, RosterEntry>();
    const operators = entries.map((json) => {
      const entry = this.rosterParsed.get(json) ?? parseRosterEntry(json);
      parsed.set(json, entry);
      return presenceFromRoster(entry, clockNow);
    });
    this.rosterParsed = parsed;
    return operators;
  }

  async attachConsole(id: OperatorId, node: string): Promise<OperatorPresence | undefined> {
    return this.presenceView(id, await this.run(lua.consoleAttach, this.keys.presenceKeys(id), [this.nowArg(), node]));
  }

  async detachConsole(id: OperatorId, node: string, now: number): Promise<OperatorPresence | undefined> {
    return this.presenceView(id, await this.run(lua.consoleDetach, this.keys.presenceKeys(id), [this.nowArg(), node, String(now)]));
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

  async claimLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    const args = [holder, String(now), String(now + ttlMs), String(ttlMs)];
    return (await this.run(lua.leaseClaim, [this.keys.lease(name)], args)) === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.run(lua.leaseRelease, [this.keys.lease(name)], [holder]);
  }

  // ---- sessions ----

  async putCallState(key: string, value: string, ttlMs: number, ifAbsent = false): Promise<string> {
    const args = [this.nowArg(), value, String(ttlMs), ifAbsent ? '1' : ''];
    return (await this.run(lua.stringClaim, [this.keys.callState(key)], args)) as string;
  }

  async getCallState(key: string): Promise<string | undefined> {
    const held = (await this.run(lua.stringGet, [this.keys.callState(key)], [])) as string | null;
    if (!held) return undefined;
    const bar = held.indexOf('|');
    return Number(held.slice(0, bar)) > this.clock.now() ? held.slice(bar + 1) : undefined;
  }

  async deleteCallState(key: string): Promise<void> {
    await this.run(lua.keyDelete, [this.keys.callState(key)], []);
  }

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

  // ---- operator accounts ----

  async listAccounts(): Promise<OperatorAccount[]> {
    const flat = (await this.run(lua.hashGetAll, [this.keys.accounts], [])) as string[];
    const accounts: OperatorAccount[] = [];
    for (let i = 1; i < flat.length; i += 2) {
      const account = parseAccount(flat[i]!);
      if (account) accounts.push(account);
    }
    return accounts.sort((a, b) => a.id.localeCompare(b.id));
  }

  async getAccount(id: OperatorId): Promise<OperatorAccount | undefined> {
    const value = (await this.run(lua.hashGet, [this.keys.accounts], [id])) as string | null;
    return value ? parseAccount(value) : undefined;
  }

  async putAccount(account: OperatorAccount, mode: 'create' | 'replace'): Promise<boolean> {
    return (await this.run(lua.hashPut, [this.keys.accounts], [account.id, JSON.stringify(account), mode])) === 1;
  }

  async deleteAccount(id: OperatorId): Promise<boolean> {
    return (await this.run(lua.hashDelete, [this.keys.accounts], [id])) === 1;
  }

  // ---- aggregates and handle times ----

  async countAggregate(key: AggregateKey, field: AggregateField, ttlMs: number, amount = 1): Promise<void> {
    const id = bucketId(key);
    const bucket = { start: key.start, span: key.span, line: key.line, language: key.language, topic: key.topic, channel: key.channel };
    const args = [this.nowArg(), id, JSON.stringify(bucket), field, String(this.clock.now() + ttlMs), String(ttlMs), String(Math.round(amount)), String(Date.parse(key.start))];
    await this.run(lua.aggregateCount, [this.keys.aggregateIndex, this.keys.aggregate(id), this.keys.aggregateStarts], args);
  }

  async aggregates(): Promise<Aggregate[]> {
    const ids = (await this.run(lua.zsetAlive, [this.keys.aggregateIndex], [this.nowArg(), '1'])) as string[];
    return this.aggregateBuckets(ids);
  }

  async aggregateBuckets(ids: readonly string[]): Promise<Aggregate[]> {
    const out: Aggregate[] = [];
    // One script per batch: every bucket is in the {agg} slot.
    for (let i = 0; i < ids.length; i += AGGREGATE_READ_BATCH) {
      const keys = ids.slice(i, i + AGGREGATE_READ_BATCH).map((id) => this.keys.aggregate(id));
      const hashes = (await this.run(lua.hashesGetLive, keys, [this.nowArg()])) as (Flat | false | null)[];
      for (const flat of hashes) {
        if (!flat) continue;
        const h = record(flat);
        const counts: Record<string, number> = {};
        for (const [field, value] of Object.entries(h)) if (field.startsWith('c:')) counts[field.slice(2)] = Number(value);
        out.push({ ...(JSON.parse(h.key ?? '{}') as AggregateKey), counts });
      }
    }
    return out;
  }

  async aggregatesSince(from: number): Promise<Aggregate[]> {
    // Page through the ids by bucket start, so neither Redis nor this node holds them all at once.
    const out: Aggregate[] = [];
    for (let offset = 0; ; offset += AGGREGATE_READ_BATCH) {
      const ids = (await this.run(lua.aggregateStartsFrom, [this.keys.aggregateStarts], [String(from), String(offset), String(AGGREGATE_READ_BATCH)])) as string[];
      out.push(...(await this.aggregateBuckets(ids)));
      if (ids.length < AGGREGATE_READ_BATCH) return out;
    }
  }

  async countDay(tally: DayTally, day: string, field: string, ttlMs: number): Promise<void> {
    await this.run(lua.hashCount, [this.keys.dayTally(tally, day)], [field, String(ttlMs)]);
  }

  async dayTally(tally: DayTally, day: string): Promise<Map<string, number>> {
    const flat = (await this.run(lua.hashGetAll, [this.keys.dayTally(tally, day)], [])) as Flat;
    return new Map(Object.entries(record(flat)).map(([field, n]) => [field, Number(n)]));
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
    const flat = (await this.run(lua.hashGetLive, [this.keys.ticket(id)], [this.nowArg()])) as Flat | null;
    return flat ? decodeTicket(flat) : undefined;
  }

  /**
   * Many tickets at once (undefined where gone or run out). The cost is on the client, per
   * reply: a single Redis answers batches as one JSON string each; a Cluster, whose scripts
   * cannot span slots, one plain HGETALL per ticket (with the expiry checked here).
   */
  private async readTickets(ids: TicketId[]): Promise<(StoredTicket | undefined)[]> {
    const clockNow = this.clock.now();
    const found: (StoredTicket | undefined)[] = [];
    if (this.link.mode === 'cluster') {
      for (let i = 0; i < ids.length; i += LIST_WAVE) {
        const wave = ids.slice(i, i + LIST_WAVE).map((id) => this.link.read(this.keys.ticket(id), ['HGETALL', this.keys.ticket(id)]));
        for (const reply of await Promise.all(wave)) {
          // The cluster client shapes an HGETALL reply as an object; keep to the flat form.
          const flat = Array.isArray(reply) ? (reply as Flat) : Object.entries(reply as Record<string, string>).flat();
          const t = flat.length > 0 ? decodeTicket(flat) : undefined;
          found.push(t && t.exp > clockNow ? t : undefined);
        }
      }
      return found;
    }
    const batches: TicketId[][] = [];
    for (let i = 0; i < ids.length; i += LIST_BATCH) batches.push(ids.slice(i, i + LIST_BATCH));
    const replies: string[] = new Array<string>(batches.length);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const at = next++;
        replies[at] = (await this.run(lua.ticketsJson, batches[at]!.map((id) => this.keys.ticket(id)), [String(clockNow)])) as string;
      }
    };
    await Promise.all(Array.from({ length: LIST_IN_FLIGHT }, worker));
    for (const reply of replies) {
      for (const flat of JSON.parse(reply) as (Flat | false)[]) found.push(flat ? decodeTicket(flat) : undefined);
    }
    return found;
  }

  /** The keys every queue script takes: the queue names and the route summaries ({queues} slot). */
  private queueSlot(): string[] {
    return [this.keys.queueNames, this.keys.routes];
  }

  private async unqueue(stored: StoredTicket): Promise<void> {
    const t = stored.ticket;
    await this.followUp(lua.queueRemove, this.queueSlot(), [t.id, String(stored.ord), this.keys.queueName(t)]);
  }

  /** The second step of a change to a waiting ticket: its summary follows (ROUTE_FIELDS in `fields`). */
  private async updateRoute(id: TicketId, fields: unknown): Promise<void> {
    const route = decodeRouteFields(fields);
    if (route.ticket.state !== 'waiting') return;
    await this.creating.get(id)?.catch(() => undefined);
    const name = this.keys.queueName(route.ticket);
    await this.followUp(lua.routeUpdate, this.queueSlot(), [id, String(route.ord), name, String(route.ver), encodeRoute(route, name)]);
  }

  /**
   * Peek every ticket an operator holds: which are their live chats (in the order taken), and
   * what to tidy, as the presence scripts take it — (id, '') for a place that may be freed
   * now (see isStaleHold), (id, exp) for a live chat not confirmed yet (its accept's last step
   * was lost, or is under way: confirming twice does no harm).
   */
  private async peekHolds(operatorId: OperatorId, holds: Holds, now: number): Promise<{ active: TicketId[]; tidy: string[] }> {
    const clockNow = this.clock.now();
    const peeks = await Promise.all(holds.held.map((h) => this.run(lua.ticketPeek, [this.keys.ticket(h.member)], [])));
    const active: TicketId[] = [];
    const tidy: string[] = [];
    holds.held.forEach((h, i) => {
      const peek = decodePeek(peeks[i], clockNow);
      if (isLiveChat(peek, operatorId)) {
        active.push(h.member);
        if (holds.chats[h.member] !== String(peek.exp)) tidy.push(h.member, String(peek.exp));
      } else if (isStaleHold(peek, operatorId, h.score, now, RESERVATION_MARGIN_MS)) {
        tidy.push(h.member, '');
      }
    });
    return { active, tidy };
  }

  /** Free the operator's slot for a ticket; idle from `now` when nothing they hold is a live chat. */
  private async release(operatorId: OperatorId, id: TicketId, now: number): Promise<void> {
    const keys = this.keys.presenceKeys(operatorId);
    try {
      const left = decodeHolds(await this.run(lua.heldRelease, keys, [this.nowArg(), id, String(now)]));
      if (left.held.length === 0) return;
      // What is left may be only leftovers (ended chats whose release was lost): then the
      // operator is idle too.
      const { tidy } = await this.peekHolds(operatorId, left, now);
      if (tidy.length > 0) await this.run(lua.heldRelease, keys, [this.nowArg(), id, String(now), ...tidy]);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger?.warn({ event: 'store-follow-up-failed', operator: operatorId, ...errorFields(error) }, 'redis slot release left for later');
    }
  }

  /**
   * Presence as callers see it: `active` lists only the held tickets that are live chats of
   * theirs, peeked; what the peeks show a lost step left behind is put right on the way.
   */
  private async presenceView(id: OperatorId, reply: unknown): Promise<OperatorPresence | undefined> {
    const decoded = decodePresenceReply(reply);
    if (!decoded) return undefined;
    const { active, tidy } = await this.peekHolds(id, decoded.holds, this.clock.now());
    if (tidy.length > 0) await this.followUp(lua.heldTidy, this.keys.presenceKeys(id), tidy);
    return presenceFrom(decoded.hash, active);
  }
}
