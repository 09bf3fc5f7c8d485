import type { LanguageCode, LineId, OperatorId, TicketId, TopicId } from '../../protocol/ids.js';

/**
 * Every key RedisStore writes, built from one prefix. The part in braces is the Cluster hash
 * tag: what must change together shares a tag (so its script runs on one slot), and each
 * index has a tag of its own. Ids are URI-encoded so no id can close a tag or forge a key.
 *
 * Every operator's presence shares the {presence} slot with the roster, so each change to an
 * operator's presence updates their roster entry in the same script, and listPresence is one
 * read however many operators there are: operators are few (hundreds) and their presence
 * changes rarely (connect, status, accept, end), so one slot carries it easily.
 *
 *   P:{t:<ticket>}:ticket       hash    the ticket (+ logical expiry, order, buffer sizes)
 *   P:{t:<ticket>}:msgs:v|o     list    sealed messages from visitor | operator, seq = index + 1
 *   P:{tickets}:seq             string  creation counter (orders tickets)
 *   P:{tickets}:index           zset    ticket ids by creation order (listTickets)
 *   P:{queues}:names            set     the line × language × topic queues that hold tickets
 *   P:{queues}:w:<l>:<lang>:<t> zset    waiting ticket ids by creation order, per topic queue
 *   P:{queues}:l:<l>:<lang>     zset    the same across topics (queue positions)
 *   P:{queues}:route            hash    ticket id → routing summary of each queued ticket (redis-records)
 *   P:{presence}:o:<operator>   hash    an operator's presence
 *   P:{presence}:held:<op>      zset    tickets the operator holds or is accepting, by time
 *   P:{presence}:chats:<op>     hash    ticket id → the ticket's logical expiry, for each held
 *                                       ticket known to be their chat (confirmed after accept)
 *   P:{presence}:roster         hash    operator (as in their keys) → their presence as
 *                                       listPresence returns it (redis-scripts)
 *   P:{presence}:index          zset    the same operators by presence expiry
 *   P:{nodes}:live              zset    node ids by heartbeat expiry
 *   P:{s:<hash>}:session        string  an operator session under its token hash
 *   P:{c:<key>}:call            string  a live phone call's record (server/voice/call-state.ts)
 *   P:{l:<name>}:lease          string  who holds a cluster-wide chore, until when
 *   P:{agg}:index               zset    aggregate bucket ids by expiry
 *   P:{agg}:starts              zset    aggregate bucket ids by bucket start (the export)
 *   P:{agg}:b:<bucket>          hash    one bucket's counts
 *   P:{agg}:<tally>:<day>       hash    a local day's tally: missed (operator → offers
 *                                       missed), coverage (line|language|what → count)
 *   P:{ht:<line>}:times|exp     list / string   recent handle times of a line and their expiry
 *   P:{accounts}:all            hash    operator id → their account (JSON); no TTL: staff
 *                                       records, kept until removed (accounts/directory.ts)
 */
export class RedisKeys {
  constructor(readonly prefix: string) {
    if (!prefix || /[{}]/.test(prefix)) throw new Error('a Redis prefix must be non-empty and hold no braces');
  }

  ticket(id: TicketId): string {
    return `${this.prefix}:{t:${enc(id)}}:ticket`;
  }

  messages(id: TicketId, from: 'visitor' | 'operator'): string {
    return `${this.prefix}:{t:${enc(id)}}:msgs:${from === 'visitor' ? 'v' : 'o'}`;
  }

  /** The three keys a ticket owns, in the order the ticket scripts take them. */
  ticketKeys(id: TicketId): [string, string, string] {
    return [this.ticket(id), this.messages(id, 'visitor'), this.messages(id, 'operator')];
  }

  get ticketSeq(): string {
    return `${this.prefix}:{tickets}:seq`;
  }

  get ticketIndex(): string {
    return `${this.prefix}:{tickets}:index`;
  }

  get queueNames(): string {
    return `${this.prefix}:{queues}:names`;
  }

  /** The name of a line × language × topic queue, as held in queueNames. */
  queueName(t: { line: LineId; language: LanguageCode; topic: TopicId }): string {
    return `${enc(t.line)}:${enc(t.language)}:${enc(t.topic)}`;
  }

  waitingQueue(name: string): string {
    return `${this.waitingQueuePrefix}${name}`;
  }

  /** What waitingQueue() puts before a queue name: scripts build the keys of every queue from it. */
  get waitingQueuePrefix(): string {
    return `${this.prefix}:{queues}:w:`;
  }

  languageQueue(t: { line: LineId; language: LanguageCode }): string {
    return `${this.languageQueuePrefix}${enc(t.line)}:${enc(t.language)}`;
  }

  /** What languageQueue() puts before `<line>:<language>` (a queue name without its topic). */
  get languageQueuePrefix(): string {
    return `${this.prefix}:{queues}:l:`;
  }

  get routes(): string {
    return `${this.prefix}:{queues}:route`;
  }

  get roster(): string {
    return `${this.prefix}:{presence}:roster`;
  }

  get presenceIndex(): string {
    return `${this.prefix}:{presence}:index`;
  }

  presence(id: OperatorId): string {
    return `${this.prefix}:{presence}:o:${enc(id)}`;
  }

  held(id: OperatorId): string {
    return `${this.prefix}:{presence}:held:${enc(id)}`;
  }

  chats(id: OperatorId): string {
    return `${this.prefix}:{presence}:chats:${enc(id)}`;
  }

  /** The keys an operator's presence scripts take: presence, held, chats, the roster, its index. */
  presenceKeys(id: OperatorId): [string, string, string, string, string] {
    return [this.presence(id), this.held(id), this.chats(id), this.roster, this.presenceIndex];
  }

  get nodes(): string {
    return `${this.prefix}:{nodes}:live`;
  }

  /** A live phone call's small records (server/voice/call-state.ts), by their opaque key. */
  callState(key: string): string {
    return `${this.prefix}:{c:${enc(key)}}:call`;
  }

  get accounts(): string {
    return `${this.prefix}:{accounts}:all`;
  }

  session(tokenHash: string): string {
    return `${this.prefix}:{s:${enc(tokenHash)}}:session`;
  }

  lease(name: string): string {
    return `${this.prefix}:{l:${enc(name)}}:lease`;
  }

  get aggregateIndex(): string {
    return `${this.prefix}:{agg}:index`;
  }

  get aggregateStarts(): string {
    return `${this.prefix}:{agg}:starts`;
  }

  aggregate(bucket: string): string {
    return `${this.prefix}:{agg}:b:${enc(bucket)}`;
  }

  /** A local day's tally (Store.countDay): a hash field → count. */
  dayTally(tally: string, day: string): string {
    return `${this.prefix}:{agg}:${enc(tally)}:${enc(day)}`;
  }

  handleTimes(line: LineId): [string, string] {
    return [`${this.prefix}:{ht:${enc(line)}}:times`, `${this.prefix}:{ht:${enc(line)}}:exp`];
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}
