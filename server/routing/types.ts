import type { EndedBy } from '../../protocol/visitor-messages.js';
import type { ChatKeyProof } from '../../identity/certificates.js';
import type { LanguageCode, LineId, OperatorId, TicketId, TopicId } from '../../protocol/ids.js';
import type { Channel } from '../../protocol/operator-messages.js';

/**
 * Routing records. A ticket is one waiting or running chat or phone call; it holds routing
 * metadata and public keys only — never content, never anything about the person (a call's
 * numbers and CallSid are never on it: see server/voice/).
 */
export type TicketState = 'waiting' | 'active' | 'ended';

export interface Offer {
  operatorId: OperatorId;
  expiresAt: number;
}

export interface Ticket {
  id: TicketId;
  channel: Channel;
  line: LineId;
  language: LanguageCode;
  topic: TopicId;
  createdAt: number;
  state: TicketState;
  /** The visitor's ephemeral public key for this chat ('' for a call). */
  visitorKey: string;
  /** SHA-256 of the resume secret; the secret itself lives only in the visitor's memory ('' for a call). */
  tokenHash: string;
  offer: Offer | null;
  /** Operators this ticket was already offered to, so the next offer goes to someone else. */
  triedBy: OperatorId[];
  operatorId: OperatorId | null;
  operatorKey: string | null;
  /** The operator's identity vouching for operatorKey, passed to the visitor untouched. */
  operatorProof: ChatKeyProof | null;
  operatorName: string | null;
  acceptedAt: number | null;
  endedBy: EndedBy | null;
  endedAt: number | null;
  /**
   * The node holding the visitor's socket now; null while the visitor is away. A caller is
   * held by the phone network, never by a node: PHONE_NETWORK for as long as the call lives.
   */
  visitorNode: string | null;
  /**
   * Bumped at every attach, so a late "socket closed" or grace timer for an older
   * connection cannot detach or end a chat the visitor has since resumed (on any node).
   */
  visitorEpoch: number;
  /** When the visitor's socket went away (null while attached): the grace counts from here. */
  detachedAt: number | null;
}

/**
 * What routing reads of a waiting ticket: enough to plan offers and tell positions, and no
 * more, so a store can keep it apart from the ticket and read many at once.
 */
export type RoutingTicket = Pick<Ticket, 'id' | 'channel' | 'line' | 'language' | 'topic' | 'createdAt' | 'state' | 'offer' | 'triedBy' | 'visitorNode'>;

/** Which queue a ticket waits in, to ask its place. */
export type QueueRef = Pick<Ticket, 'id' | 'line' | 'language'>;

export type PresenceStatus = 'available' | 'away' | 'offline';

export interface OperatorPresence {
  id: OperatorId;
  name: string;
  status: PresenceStatus;
  lines: LineId[];
  languages: LanguageCode[];
  topics: TopicId[];
  capacity: number;
  /** Chats and calls this operator is handling now (or accepting). */
  active: TicketId[];
  /** The one of `active` that is a phone call, if any (see routing/call-capacity.ts). */
  call: TicketId | null;
  /** Since when the operator has had this status (for the supervisor view). */
  statusSince: number;
  /** Since when the operator has had nothing to do; the longest idle is offered first. */
  idleSince: number;
  /** Nodes holding at least one of this operator's consoles; empty while they are away. */
  nodes: string[];
  /** When the operator's last console went away (null while one is connected). */
  disconnectedAt: number | null;
}

/** Where a call's caller is attached: the phone network holds them, not any node. */
export const PHONE_NETWORK = 'phone-network';
