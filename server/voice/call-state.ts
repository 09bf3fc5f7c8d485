import { createHash } from 'node:crypto';
import type { LanguageCode, TicketId } from '../../protocol/ids.js';
import type { Store } from '../store/store.js';

/**
 * Set just before a caller is sent out of their queue with <Leave/>: what happens next. A
 * 'requeue' is a call answered whose operator's device never came for it: it waits again.
 */
export type Leaving = { kind: 'overflow' } | { kind: 'language'; language: LanguageCode } | { kind: 'requeue' };

/** What a live call is, found by its CallSid from any node: its ticket, and where it is going. */
export interface CallRecord {
  ticket: TicketId;
  /** When this record named its ticket: a ticket still missing long after was never made. */
  since: number;
  leaving: Leaving | null;
}

/** What the waiting side of a call's ticket remembers between two runs of its wait URL. */
export interface WaitRecord {
  /** The last run of the wait URL: a call Twilio stopped asking about is over (call-watch.ts). */
  seenAt: number;
  /** When the caller last heard the alternatives (they are not repeated every loop). */
  alternativesAt: number | null;
  /** Simulated voice only: a console stood in for its device and "connected" the call. */
  bridged: boolean;
}

/**
 * A call's records in the store, so that any node can answer its next webhook. The CallSid is
 * kept only as a hash, in a key that lives no longer than the call may (privacy invariant 4);
 * numbers are never kept at all. Retried webhooks land on `claimCall`, which returns the
 * ticket made first, so one CallSid never makes two tickets.
 */
export class CallStates {
  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
  ) {}

  /** The call's ticket: `ticket` if this is the first to claim it, else the one made first. */
  async claimCall(callSid: string, ticket: TicketId, now: number): Promise<TicketId> {
    const record: CallRecord = { ticket, since: now, leaving: null };
    const held = await this.store.putCallState(sidKey(callSid), JSON.stringify(record), this.ttlMs, true);
    return (JSON.parse(held) as CallRecord).ticket;
  }

  async call(callSid: string): Promise<CallRecord | undefined> {
    const held = await this.store.getCallState(sidKey(callSid));
    return held === undefined ? undefined : (JSON.parse(held) as CallRecord);
  }

  async putCall(callSid: string, record: CallRecord): Promise<void> {
    await this.store.putCallState(sidKey(callSid), JSON.stringify(record), this.ttlMs);
  }

  /** Say what the call leaves its queue for, just before its <Leave/>. */
  async leaving(callSid: string, ticket: TicketId, leaving: Leaving): Promise<void> {
    const since = (await this.call(callSid))?.since ?? 0;
    await this.putCall(callSid, { ticket, since, leaving });
  }

  async forgetCall(callSid: string, ticket: TicketId | undefined): Promise<void> {
    await Promise.all([this.store.deleteCallState(sidKey(callSid)), ticket ? this.forgetWait(ticket) : null]);
  }

  /** The waiting side of a ticket the call has left (moved, lost, over). */
  async forgetWait(ticket: TicketId): Promise<void> {
    await this.store.deleteCallState(waitKey(ticket));
  }

  async wait(ticket: TicketId): Promise<WaitRecord | undefined> {
    const held = await this.store.getCallState(waitKey(ticket));
    return held === undefined ? undefined : (JSON.parse(held) as WaitRecord);
  }

  async putWait(ticket: TicketId, record: WaitRecord): Promise<void> {
    await this.store.putCallState(waitKey(ticket), JSON.stringify(record), this.ttlMs);
  }
}

/** The CallSid under a hash: the store's keys never carry it as it is. */
function sidKey(callSid: string): string {
  return `sid:${createHash('sha256').update(callSid).digest('base64url')}`;
}

function waitKey(ticket: TicketId): string {
  return `wait:${ticket}`;
}
