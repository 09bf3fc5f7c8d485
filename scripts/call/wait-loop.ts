import { queueSidFor } from './call-ids.js';
import type { CallSession, SimulatedState, TwimlDocument } from './call-session.js';
import type { Caller, Heard } from './caller.js';
import { TwimlError, type Enqueue } from './twiml.js';

/**
 * How a stay in a queue ended, as Twilio's QueueResult names it: 'leave' (the wait TwiML said
 * <Leave/>), 'bridged' (a counsellor took the call, and it has since ended), 'hangup' (the
 * caller hung up, or the wait TwiML or the server ended the call before anyone answered).
 */
export type QueueResult = 'leave' | 'bridged' | 'hangup';

export interface QueueStay {
  /** The queue's name, as <Enqueue> gave it (Quietline names it after the call's ticket). */
  queue: string;
  result: QueueResult;
  queueSid: string;
  /** Call seconds spent in the queue. */
  queueSeconds: number;
}

/** Without a waitUrl Twilio plays its own hold music: one such play, in call seconds. */
const DEFAULT_HOLD_SECONDS = 10;

/**
 * The caller waits in `enqueue`'s queue. Twilio's loop: request the waitUrl, play its TwiML,
 * request it again when it is done. Between steps the demo's simulated bridge is asked whether
 * a counsellor has "connected" the call (in production Twilio bridges it to their device).
 */
export async function waitInQueue(session: CallSession, caller: Caller, enqueue: Enqueue, from: string, hangUpAfterSeconds: number | undefined): Promise<QueueStay> {
  const queueSid = queueSidFor(enqueue.queue);
  const enqueuedAt = caller.clock();
  const stay = (result: QueueResult): QueueStay => ({ queue: enqueue.queue, result, queueSid, queueSeconds: caller.clock(enqueuedAt) });
  if (hangUpAfterSeconds !== undefined) caller.hangUpIn(hangUpAfterSeconds);
  caller.io.print(`⏳ Waiting in queue ${enqueue.queue}`);

  let state: SimulatedState = 'waiting';
  const connected: () => Promise<boolean> = async () => {
    state = await session.simulatedState(enqueue.queue);
    return state !== 'waiting';
  };
  const waitParams = () => ({
    QueueSid: queueSid,
    QueuePosition: '1',
    QueueTime: String(Math.floor(caller.clock(enqueuedAt))),
    AvgQueueTime: '0',
    CurrentQueueSize: '1',
  });

  const out = async (): Promise<QueueStay> => {
    if (state === 'ended') {
      // Ended on the server before anyone connected: to the caller, the line went dead.
      caller.io.print('☎ The call was ended on the server.');
      return stay('hangup');
    }
    // QueueTime is the time queued: the minutes on the call with a counsellor do not count.
    const queued = stay('bridged');
    await onTheCall(session, caller, enqueue.queue);
    return queued;
  };

  for (;;) {
    if (await connected()) return out();
    let heard: Heard | 'leave';
    if (enqueue.waitUrl === undefined) {
      heard = await caller.wait(DEFAULT_HOLD_SECONDS, connected);
    } else {
      const doc = await session.twiml(enqueue.waitUrl, waitParams(), enqueue.waitUrlMethod, from);
      heard = await playWaitDocument(session, caller, doc, connected, waitParams);
    }
    if (heard === 'leave') return stay('leave');
    if (heard === 'hangup') return stay('hangup');
    if (heard === 'interrupted') return out();
  }
}

/**
 * One run of wait TwiML. 'done' at its end (Twilio then requests the waitUrl again). A
 * <Gather>'s action and a <Redirect> answer with more wait TwiML: the caller is still queued.
 */
async function playWaitDocument(
  session: CallSession,
  caller: Caller,
  first: TwimlDocument,
  connected: () => Promise<boolean>,
  waitParams: () => Record<string, string>,
): Promise<Heard | 'leave'> {
  let doc = first;
  let next = 0;
  for (;;) {
    const verb = doc.verbs[next++];
    if (verb === undefined) return 'done';
    switch (verb.verb) {
      case 'Say':
      case 'Play':
      case 'Pause': {
        const heard = await caller.hear(verb, connected);
        if (heard !== 'done') return heard;
        break;
      }
      case 'Gather': {
        const keys = await caller.gather(verb, connected);
        if (keys === 'hangup' || keys === 'interrupted') return keys;
        if (keys !== '') {
          doc = await session.twiml(verb.action ?? doc.url, { ...waitParams(), Digits: keys }, verb.method, doc.url);
          next = 0;
        }
        break;
      }
      case 'Redirect':
        doc = await session.twiml(verb.url, waitParams(), verb.method, doc.url);
        next = 0;
        break;
      case 'Leave':
        caller.io.print('⏏ Leaving the queue');
        return 'leave';
      case 'Hangup':
        caller.io.print('☎ The line hangs up.');
        return 'hangup';
      default:
        throw new TwimlError(`${doc.url}: <${verb.verb}> is not allowed in wait TwiML`);
    }
  }
}

/** Connected (simulated: no audio) until the caller hangs up or the counsellor ends the call. */
async function onTheCall(session: CallSession, caller: Caller, queue: string): Promise<void> {
  caller.io.print('Connected to the counsellor (simulated: no audio). Press h or Enter to hang up.');
  const operatorEnded = async () => (await session.simulatedState(queue)) === 'ended';
  if ((await caller.wait(Infinity, operatorEnded)) === 'hangup') return;
  caller.io.print('☎ The counsellor ended the call.');
}
