import type { OperatorId, TicketId } from '../../protocol/ids.js';
import type { OperatorPresence, Ticket } from '../routing/types.js';

/**
 * How RedisStore's records look in Redis. A ticket is a hash: the fields nobody changes sit
 * in one JSON `base`, every field a script changes has a field of its own (absent = null), so
 * the scripts never re-encode JSON they did not write. Beside them: `exp` (logical expiry on
 * the store's clock), `ord` (creation order), `buf` (messages kept) and `vb`/`ob` (bytes kept).
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

export function decodeTicket(flat: Flat): StoredTicket {
  const h = record(flat);
  const text = (key: string) => h[key] ?? null;
  const num = (key: string) => (h[key] === undefined ? null : Number(h[key]));
  const ticket = {
    ...(JSON.parse(h.base ?? '{}') as Pick<Ticket, 'id' | 'channel' | 'line' | 'language' | 'topic' | 'createdAt' | 'visitorKey' | 'tokenHash'>),
    state: h.state as Ticket['state'],
    offer: h.offer ? (JSON.parse(h.offer) as Ticket['offer']) : null,
    triedBy: JSON.parse(h.triedBy ?? '[]') as OperatorId[],
    operatorId: text('operatorId'),
    operatorKey: text('operatorKey'),
    operatorProof: h.operatorProof ? (JSON.parse(h.operatorProof) as Ticket['operatorProof']) : null,
    operatorName: text('operatorName'),
    acceptedAt: num('acceptedAt'),
    endedBy: text('endedBy') as Ticket['endedBy'],
    endedAt: num('endedAt'),
    visitorNode: text('visitorNode'),
    visitorEpoch: Number(h.visitorEpoch ?? 0),
    detachedAt: num('detachedAt'),
  } satisfies Ticket;
  return { ticket, ord: Number(h.ord ?? 0), exp: Number(h.exp ?? 0) };
}

/** What ticketPeek tells about a ticket an operator holds. */
export interface TicketPeek {
  live: boolean;
  state: string | null;
  operatorId: string | null;
}

export function decodePeek(reply: unknown, clockNow: number): TicketPeek {
  const [exp, state, operatorId] = (reply as (string | null)[]) ?? [];
  return { live: exp != null && Number(exp) > clockNow, state: state ?? null, operatorId: operatorId ?? null };
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

export interface PresenceReply {
  hash: Record<string, string>;
  held: { member: TicketId; score: number }[];
}

export function decodePresenceReply(reply: unknown): PresenceReply | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [hash, held] = reply as [Flat, Flat];
  return { hash: record(hash), held: scored(held) };
}

export function presenceFrom(hash: Record<string, string>, active: TicketId[]): OperatorPresence {
  return {
    ...(JSON.parse(hash.profile ?? '{}') as Pick<OperatorPresence, 'id' | 'name' | 'lines' | 'languages' | 'topics' | 'capacity'>),
    status: hash.status as OperatorPresence['status'],
    active,
    idleSince: Number(hash.idleSince),
    nodes: JSON.parse(hash.nodes ?? '[]') as string[],
    disconnectedAt: hash.disconnectedAt === undefined ? null : Number(hash.disconnectedAt),
  };
}
