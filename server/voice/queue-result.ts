import type { TicketId } from '../../protocol/ids.js';
import type { RelayContext } from '../relay/relay-context.js';
import type { CallDesk } from './call-desk.js';
import { enqueueInto } from './menus.js';
import { voiceFor } from './speech.js';
import { say, twiml, type Response } from './twiml.js';
import type { VoiceUrls } from './voice-urls.js';

/** The QueueResult values after which the caller is with an operator, or was. */
const BRIDGED = new Set(['bridged', 'bridging-in-process', 'redirected-from-bridged']);
/** The ones in which Twilio could not keep the call in its queue: the call is over. */
const FAILED = new Set(['error', 'system-error', 'queue-full']);

export interface QueueResultDeps {
  ctx: RelayContext;
  desk: CallDesk;
  urls: VoiceUrls;
}

/**
 * What a call does when it leaves its queue (the <Enqueue> action): its QueueResult says why.
 * 'leave' follows what the call's record says it left for (another language's queue, a new
 * ticket after a device that never came, the overflow number); 'hangup' ends it as
 * abandoned; bridged-and-over says goodbye; Twilio's failures say sorry and 112. Retried
 * with the same result after a move, it answers with the call's current queue again.
 */
export async function afterQueue(deps: QueueResultDeps, left: TicketId, callSid: string, result: string): Promise<Response> {
  const { ctx, desk, urls } = deps;
  const doc = twiml();
  const record = await desk.states.call(callSid);
  if (result === 'leave' && record && record.ticket !== left) {
    enqueueInto(urls, record.ticket, doc); // a retry of a move already made
    return doc;
  }
  const ticket = record && (await ctx.store.getTicket(record.ticket));
  const spoken = voiceFor(ctx.config.lines, ticket?.language ?? 'en');
  const leaving = record?.leaving;
  if (result === 'leave' && ticket && leaving?.kind === 'language') {
    enqueueInto(urls, await desk.move(callSid, ticket, leaving.language), doc);
    return doc;
  }
  if (result === 'leave' && ticket && leaving?.kind === 'requeue') {
    enqueueInto(urls, await desk.requeue(callSid, ticket), doc);
    return doc;
  }
  const line = ticket && ctx.line(ticket.line);
  if (result === 'leave' && ticket && line?.voice?.overflow && leaving?.kind === 'overflow') {
    await desk.overflowed(callSid, ticket.id);
    // Shown to the overflow line as the helpline's own number: the caller's is not passed on.
    doc.dial({ callerId: line.voice.numbers[0]! }, line.voice.overflow.number);
    return doc;
  }
  if (result === 'hangup') {
    await desk.callEnded(callSid);
    return doc;
  }
  if (BRIDGED.has(result)) {
    // Over, with the operator hanging up first (or the caller, who then hears nothing).
    say(doc, spoken.speech, spoken.prompts.goodbye);
    doc.hangup();
    return doc;
  }
  if (FAILED.has(result) || result === 'leave') {
    say(doc, spoken.speech, spoken.prompts.trouble(ctx.config.lines.emergency));
    doc.hangup();
    await desk.callEnded(callSid);
  }
  // 'redirected': moved by Twilio's REST API, which Quietline never does; the new URL rules.
  return doc;
}
