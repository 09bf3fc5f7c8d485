import { DEFAULT_CALLER, FAKE_ACCOUNT_SID, newCallSid } from './call-ids.js';
import type { CallIo } from './call-io.js';
import { CallSession, type TwimlDocument } from './call-session.js';
import { Caller } from './caller.js';
import { waitInQueue, type QueueStay } from './wait-loop.js';
import { Webhooks } from './webhooks.js';

export interface CallOptions {
  /** The server's public base URL: what TwiML's absolute URLs start with. */
  base: string;
  /** Signs every request, as Twilio does with the account's auth token. */
  authToken: string;
  /** The number called: it chooses the line. */
  to: string;
  from?: string;
  /** Call time runs this many times faster than real time (pauses, timeouts). Default 1. */
  speed?: number;
  /** A scripted caller hangs up this many call seconds after first entering a queue. */
  hangUpAfterSeconds?: number;
  fetch?: typeof fetch;
}

/** How the call ended, for the caller of `simulateCall`. */
export interface CallSummary {
  callSid: string;
  /** Call seconds, as sent in the status callback's CallDuration. */
  durationSeconds: number;
  /** Every stay in a queue, in order. */
  queues: QueueStay[];
}

/**
 * Plays Twilio's side of one inbound call against a Quietline server: requests
 * /voice/incoming, follows the TwiML verb by verb (menus, queue, wait loop, simulated bridge),
 * and sends the status callback when the call is over. A non-2xx answer rejects with
 * WebhookFailed, TwiML it cannot play with TwimlError.
 */
export async function simulateCall(options: CallOptions, io: CallIo): Promise<CallSummary> {
  const callSid = newCallSid();
  const base = options.base.replace(/\/+$/, '');
  const session = new CallSession(
    new Webhooks(options.authToken, options.fetch),
    { callSid, accountSid: FAKE_ACCOUNT_SID, from: options.from ?? DEFAULT_CALLER, to: options.to },
    base,
  );
  const caller = new Caller(io, options.speed ?? 1);
  const queues: QueueStay[] = [];
  io.print(`☎ Calling ${options.to} from ${options.from ?? DEFAULT_CALLER} (${callSid})`);

  await followCall(session, caller, await session.twiml(`${base}/voice/incoming`), queues, options.hangUpAfterSeconds);

  const durationSeconds = Math.round(caller.clock());
  await session.completed(durationSeconds);
  io.print(`☎ Call over after ${durationSeconds} s.`);
  return { callSid, durationSeconds, queues };
}

/** The call's TwiML, from `first` until a <Hangup/>, a <Dial>, the caller hanging up, or the end. */
async function followCall(session: CallSession, caller: Caller, first: TwimlDocument, queues: QueueStay[], hangUpAfterSeconds: number | undefined): Promise<void> {
  let doc = first;
  let next = 0;
  const goTo = (to: TwimlDocument) => {
    doc = to;
    next = 0;
  };
  for (;;) {
    const verb = doc.verbs[next++];
    if (verb === undefined) return;
    switch (verb.verb) {
      case 'Say':
      case 'Play':
      case 'Pause':
        if ((await caller.hear(verb)) === 'hangup') return;
        break;
      case 'Gather': {
        const keys = await caller.gather(verb);
        if (keys === 'hangup' || keys === 'interrupted') return;
        // No key: Twilio goes on with the verb after the <Gather>.
        if (keys !== '') goTo(await session.twiml(verb.action ?? doc.url, { Digits: keys }, verb.method, doc.url));
        break;
      }
      case 'Redirect':
        goTo(await session.twiml(verb.url, {}, verb.method, doc.url));
        break;
      case 'Enqueue': {
        const stay = await waitInQueue(session, caller, verb, doc.url, hangUpAfterSeconds);
        queues.push(stay);
        const result = { QueueResult: stay.result, QueueSid: stay.queueSid, QueueTime: String(Math.floor(stay.queueSeconds)) };
        // Without an action Twilio goes on with the next verb; a caller who hung up is gone.
        if (verb.action === undefined) {
          if (stay.result === 'hangup') return;
          break;
        }
        const after = await session.twiml(verb.action, result, verb.method, doc.url);
        if (stay.result === 'hangup') return;
        goTo(after);
        break;
      }
      case 'Leave':
        // Only wait TwiML can leave a queue; elsewhere Twilio ignores it.
        caller.io.print('(<Leave/> outside a queue: ignored)');
        break;
      case 'Dial':
        caller.io.print(`☎ would be put through to ${verb.targets.join(', ')}`);
        return;
      case 'Hangup':
        caller.io.print('☎ The line hangs up.');
        return;
    }
  }
}
