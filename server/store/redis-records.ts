import type { OperatorId, TicketId } from '../../protocol/ids.js';
import type { OperatorPresence, RoutingTicket, Ticket } from '../routing/types.js';

/**
 * How RedisStore's records look in Redis. A ticket is a hash: the fields nobody changes sit
 * in one JSON `base`, every field a script changes has a field of its own (absent = null), so
 * the scripts never re-encode JSON they did not write. Beside them: `exp` (logical expiry on
 * the store's clock), `ord` (creation order), `buf` (messages kept), `vb`/`ob` (bytes kept) and
 * `ver` (bumped by every change to a field the routing summary holds).
 */
const STRING_FIELDS = ['operatorId', 'operatorKey', 'operatorName', 'endedBy', 'visitorNode'] as const;
const NUMBER_FIELDS = ['acceptedAt', 'endedAt', 'detachedAt'] as const;
const MUTABLE_FIELDS = new Set<string>([
  ...STRING_FIELDS,
  ...NUMBER_FIELDS,
  'state',
  'offer',
  'triedBy',
  'operatorProof',
  'visitorEpoch',
]);

export type Flat = string[];

/** A Redis hash as returned flat (field, value, field, value …). */
export function record(flat: Flat): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/** A sorted set as returned WITHSCORES (member, score …). */
export function scored(flat: Flat): { member: string; score: number }[] {
  const out: { member: string; score: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
  return out;
}

/** The field/value list ticketCreate writes for a ticket. */
export function ticketFields(ticket: Ticket, exp: number, ord: number): string[] {
  const base: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ticket)) if (!MUTABLE_FIELDS.has(key)) base[key] = value;
  const fields: string[] = [
    'base', JSON.stringify(base),
    'state', ticket.state,
    'triedBy', JSON.stringify(ticket.triedBy),
    'visitorEpoch', String(ticket.visitorEpoch),
    'exp', String(exp),
    'ord', String(ord),
    'buf', '1',
    'ver', '0',
  ];
  if (ticket.offer) {
    fields.push('offer', JSON.stringify(ticket.offer), 'offerOp', ticket.offer.operatorId, 'offerExp', String(ticket.offer.expiresAt));
  }
  for (const key of STRING_FIELDS) if (ticket[key] !== null) fields.push(key, ticket[key]);
  for (const key of NUMBER_FIELDS) if (ticket[key] !== null) fields.push(key, String(ticket[key]));
  if (ticket.operatorProof) fields.push('operatorProof', JSON.stringify(ticket.operatorProof));
  return fields;
}

export interface StoredTicket {
  ticket: Ticket;
  ord: number;
  exp: number;
}

function text(h: Record<string, string>, key: string): string | null {
  return h[key] ?? null;
}

function num(h: Record<string, string>, key: string): number | null {
  return h[key] === undefined ? null : Number(h[key]);
}

type TicketBase = Pick<Ticket, 'id' | 'channel' | 'line' | 'language' | 'topic' | 'createdAt' | 'visitorKey' | 'tokenHash'>;

/**
 * Decoded for every ticket of a full scan: the fields are copied one by one, because spreading
 * a parsed object into a literal this size takes V8's slow path (about 15 times the cost).
 */
export function decodeTicket(flat: Flat): StoredTicket {
  const h = record(flat);
  const base = JSON.parse(h.base ?? '{}') as TicketBase;
  const ticket = {
    id: base.id,
    channel: base.channel,
    line: base.line,
    language: base.language,
    topic: base.topic,
    createdAt: base.createdAt,
    visitorKey: base.visitorKey,
    tokenHash: base.tokenHash,
    state: h.state as Ticket['state'],
    offer: h.offer ? (JSON.parse(h.offer) as Ticket['offer']) : null,
    triedBy: JSON.parse(h.triedBy ?? '[]') as OperatorId[],
    operatorId: text(h, 'operatorId'),
    operatorKey: text(h, 'operatorKey'),
    operatorProof: h.operatorProof ? (JSON.parse(h.operatorProof) as Ticket['operatorProof']) : null,
    operatorName: text(h, 'operatorName'),
    acceptedAt: num(h, 'acceptedAt'),
    endedBy: text(h, 'endedBy') as Ticket['endedBy'],
    endedAt: num(h, 'endedAt'),
    visitorNode: text(h, 'visitorNode'),
    visitorEpoch: Number(h.visitorEpoch ?? 0),
    detachedAt: num(h, 'detachedAt'),
  } satisfies Ticket;
  return { ticket, ord: Number(h.ord ?? 0), exp: Number(h.exp ?? 0) };
}

/**
 * A queued ticket's routing summary, kept beside the queues (in their slot) so routing reads
 * the heads of every queue in one script instead of one read per ticket. Stored as
 * `ver|exp|ord|queue name|RoutingTicket JSON`: the scripts read the header (version for
 * ordering late updates, logical expiry, creation order, the queue it sits in) and never the
 * JSON. Routing metadata only: no keys, no token hash.
 */
export interface Route {
  ticket: RoutingTicket;
  /** The ticket's `ver` when this was read: a summary is only ever replaced by a newer one. */
  ver: number;
  ord: number;
  exp: number;
}

/** The ticket fields a summary is built from, in the order the ticket scripts reply them. */
export const ROUTE_FIELDS = ['base', 'state', 'offer', 'triedBy', 'visitorNode', 'ver', 'ord', 'exp'] as const;

export function routeOf(t: Ticket, ver: number, ord: number, exp: number): Route {
  const { id, channel, line, language, topic, createdAt, state, offer, triedBy, visitorNode } = t;
  return { ticket: { id, channel, line, language, topic, createdAt, state, offer, triedBy, visitorNode }, ver, ord, exp };
}

/** A summary from the ROUTE_FIELDS a ticket script replied. */
export function decodeRouteFields(reply: unknown): Route {
  const [base, state, offer, triedBy, visitorNode, ver, ord, exp] = reply as (string | null)[];
  const { id, channel, line, language, topic, createdAt } = JSON.parse(base ?? '{}') as Pick<
    Ticket,
    'id' | 'channel' | 'line' | 'language' | 'topic' | 'createdAt'
  >;
  const ticket: RoutingTicket = {
    id,
    channel,
    line,
    language,
    topic,
    createdAt,
    state: state as Ticket['state'],
    offer: offer ? (JSON.parse(offer) as Ticket['offer']) : null,
    triedBy: JSON.parse(triedBy ?? '[]') as OperatorId[],
    visitorNode: visitorNode ?? null,
  };
  return { ticket, ver: Number(ver ?? 0), ord: Number(ord ?? 0), exp: Number(exp ?? 0) };
}

export function encodeRoute(route: Route, queueName: string): string {
  return `${route.ver}|${route.exp}|${route.ord}|${queueName}|${JSON.stringify(route.ticket)}`;
}

export function decodeRoute(value: string): { ticket: RoutingTicket; ord: number } {
  const parts = value.split('|', 4);
  const json = value.slice(parts.reduce((n, p) => n + p.length + 1, 0));
  return { ticket: JSON.parse(json) as RoutingTicket, ord: Number(parts[2]) };
}

/** What ticketPeek tells about a ticket an operator holds. */
export interface TicketPeek {
  live: boolean;
  state: string | null;
  operatorId: string | null;
  /** The ticket's logical expiry (null when gone). */
  exp: number | null;
}

export function decodePeek(reply: unknown, clockNow: number): TicketPeek {
  const [exp, state, operatorId] = (reply as (string | null)[]) ?? [];
  return { live: exp != null && Number(exp) > clockNow, state: state ?? null, operatorId: operatorId ?? null, exp: exp == null ? null : Number(exp) };
}

/** A chat the operator really has: the ticket is there, active, and theirs. */
export function isLiveChat(peek: TicketPeek, operatorId: OperatorId): boolean {
  return peek.live && peek.state === 'active' && peek.operatorId === operatorId;
}

/**
 * A held slot that can be freed without asking anyone: its ticket is gone, ended or someone
 * else's — none of which an accept in flight could turn into this operator's chat. A ticket
 * still waiting may be mid-accept on another node, so its slot goes only once older than the
 * margin (an accept that crashed between its two halves).
 */
export function isStaleHold(peek: TicketPeek, operatorId: OperatorId, heldSince: number, now: number, marginMs: number): boolean {
  if (!peek.live || peek.state === 'ended') return true;
  if (peek.state === 'active') return peek.operatorId !== operatorId;
  return heldSince <= now - marginMs;
}

/** What an operator holds: every reserved place (by when) and the ones confirmed as chats (→ ticket exp). */
export interface Holds {
  held: { member: TicketId; score: number }[];
  chats: Record<TicketId, string>;
}

/** A {held WITHSCORES, chats HGETALL} reply of the presence scripts. */
export function decodeHolds(reply: unknown): Holds {
  const [held, chats] = reply as [Flat, Flat];
  return { held: scored(held), chats: record(chats) };
}

export interface PresenceReply {
  hash: Record<string, string>;
  holds: Holds;
}

export function decodePresenceReply(reply: unknown): PresenceReply | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [hash, held, chats] = reply as [Flat, Flat, Flat];
  return { hash: record(hash), holds: decodeHolds([held, chats]) };
}

/** A roster entry's JSON, parsed (see the presence scripts): numbers as strings. */
export type RosterEntry = [OperatorPresence['status'], string, string | null, string[], ProfileJson, [TicketId, string][], TicketId | null, string];
type ProfileJson = Pick<OperatorPresence, 'id' | 'name' | 'lines' | 'languages' | 'topics' | 'capacity'>;

export function parseRosterEntry(json: string): RosterEntry {
  return JSON.parse(json) as RosterEntry;
}

/**
 * An operator as listPresence returns them, from their roster entry: the chats whose ticket
 * has not run out by `clockNow` (in the order taken). Every array is new, so an entry can be
 * kept and read again.
 */
export function presenceFromRoster(entry: RosterEntry, clockNow: number): OperatorPresence {
  const [status, idleSince, disconnectedAt, nodes, profile, chats, call, statusSince] = entry;
  const active: TicketId[] = [];
  for (const [id, exp] of chats) if (Number(exp) > clockNow) active.push(id);
  const onCall = call != null && active.includes(call) ? call : null;
  // Copied field by field, not spread: see decodeTicket.
  return {
    id: profile.id,
    name: profile.name,
    lines: [...profile.lines],
    languages: [...profile.languages],
    topics: [...profile.topics],
    capacity: profile.capacity,
    status,
    active,
    call: onCall,
    statusSince: Number(statusSince ?? idleSince),
    idleSince: Number(idleSince),
    nodes: [...nodes],
    disconnectedAt: disconnectedAt === null ? null : Number(disconnectedAt),
  };
}

export function presenceFrom(hash: Record<string, string>, active: TicketId[]): OperatorPresence {
  // Copied field by field, not spread: see decodeTicket.
  const profile = JSON.parse(hash.profile ?? '{}') as ProfileJson;
  return {
    id: profile.id,
    name: profile.name,
    lines: profile.lines,
    languages: profile.languages,
    topics: profile.topics,
    capacity: profile.capacity,
    status: hash.status as OperatorPresence['status'],
    active,
    call: hash.call !== undefined && active.includes(hash.call) ? hash.call : null,
    statusSince: Number(hash.statusSince ?? hash.idleSince),
    idleSince: Number(hash.idleSince),
    nodes: JSON.parse(hash.nodes ?? '[]') as string[],
    disconnectedAt: hash.disconnectedAt === undefined ? null : Number(hash.disconnectedAt),
  };
}
