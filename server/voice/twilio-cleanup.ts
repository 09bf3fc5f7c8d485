import twilio from 'twilio';
import type { Clock, TimerHandle } from '../clock.js';
import { errorFields, type Logger } from '../logging.js';
import type { TwilioAccount } from './voice-config.js';

/** What we ask of Twilio's REST API after a call: both deletions, which 404 once done. */
export interface TwilioRest {
  /** Delete an emptied per-ticket queue. */
  removeQueue(queueSid: string): Promise<void>;
  /** Delete a completed call's log (Twilio refuses while the call lives). */
  removeCall(callSid: string): Promise<void>;
}

type ClientOptions = NonNullable<Parameters<typeof twilio>[2]>;

/**
 * The real API, through the twilio library, with the API key (never the auth token).
 * `httpClient` is the library's own seam, for a test to see the requests it makes.
 */
export function twilioRest(account: TwilioAccount, httpClient?: ClientOptions['httpClient']): TwilioRest {
  const client = twilio(account.apiKeySid, account.apiKeySecret, { accountSid: account.accountSid, ...(httpClient ? { httpClient } : {}) });
  return {
    removeQueue: async (sid) => void (await client.queues(sid).remove()),
    removeCall: async (sid) => void (await client.calls(sid).remove()),
  };
}

interface Task {
  kind: 'queue' | 'call';
  sid: string;
  attempt: number;
}

/** Waits between attempts: a call's log can be deleted only once Twilio has closed it. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000];

/**
 * Deletions at Twilio after a call, off the routing path: a failed one is tried again later
 * (RETRY_DELAYS_MS), a 404 means already gone. The SIDs wait only in this node's memory for
 * as long as that takes, never in the store or a log; a node that stops loses its pending
 * deletions, which docs/voice.md says (the account's log retention is the backstop).
 */
export class TwilioCleanup {
  private readonly timers = new Set<TimerHandle>();
  private stopped = false;

  constructor(
    private readonly rest: TwilioRest,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  queue(queueSid: string | undefined): void {
    if (queueSid && /^QU[0-9a-f]{32}$/.test(queueSid)) this.run({ kind: 'queue', sid: queueSid, attempt: 0 });
  }

  call(callSid: string | undefined): void {
    if (callSid && /^CA[0-9a-f]{32}$/.test(callSid)) this.run({ kind: 'call', sid: callSid, attempt: 0 });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  private run(task: Task): void {
    if (this.stopped) return;
    const attempt = task.kind === 'queue' ? this.rest.removeQueue(task.sid) : this.rest.removeCall(task.sid);
    attempt.then(
      () => this.logger.info({ event: `voice.${task.kind}-deleted`, count: task.attempt + 1 }, 'deleted at Twilio'),
      (error: unknown) => {
        if ((error as { status?: number }).status === 404) return;
        const delay = RETRY_DELAYS_MS[task.attempt];
        this.logger.warn({ event: `voice.${task.kind}-delete-failed`, count: task.attempt + 1, ...errorFields(error) }, 'delete at Twilio failed');
        if (delay === undefined || this.stopped) return;
        const timer = this.clock.after(delay, () => {
          this.timers.delete(timer);
          this.run({ ...task, attempt: task.attempt + 1 });
        });
        this.timers.add(timer);
      },
    );
  }
}
