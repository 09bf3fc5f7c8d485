import type { LanguageCode, TicketId } from '../../protocol/ids.js';
import type { LineConfig } from '../config/lines-config.js';
import type { RelayContext } from '../relay/relay-context.js';
import { anyoneOnDuty } from '../routing/availability.js';
import { queueStaffing, standingOf } from '../routing/wait-estimate.js';
import type { Ticket } from '../routing/types.js';
import type { VoiceConfig } from './voice-config.js';
import type { CallDesk } from './call-desk.js';
import type { WaitRecord } from './call-state.js';
import { otherLines } from './menus.js';
import { voiceFor } from './speech.js';
import { spokenHours } from './spoken-hours.js';
import { say, twiml, type Response } from './twiml.js';
import type { VoiceUrls } from './voice-urls.js';

/** The alternatives are said when they apply, then at most this often. */
export const ALTERNATIVES_AGAIN_MS = 3 * 60_000;
/**
 * An answered call's operator device dials its queue within seconds; a caller still waiting
 * this long after the accept was never reached, and waits again for someone else.
 */
export const CONNECT_WITHIN_MS = 45_000;
/** A ticket its call record names but the store still lacks this long after was never made (its node died). */
const NEVER_MADE_MS = 30_000;
/** A wait URL asked about a ticket not stored yet (a retry raced its first) waits this long. */
const NOT_YET_SECONDS = 2;

export interface WaitDeps {
  ctx: RelayContext;
  desk: CallDesk;
  urls: VoiceUrls;
  voice: VoiceConfig;
}

/**
 * What a waiting caller hears on each run of the wait URL (Twilio runs it again when it
 * ends): their place and the estimate, honest when nobody who speaks their language can
 * answer now — then what exists instead: another of the line's languages someone can answer
 * in now (one key), the line's hours, other lines of the same family, 112. Then hold audio
 * or silence until the next run. After the overflow wait, the line's overflow number.
 */
export async function waitTwiml(deps: WaitDeps, ticketId: TicketId, callSid: string): Promise<Response> {
  const { ctx, desk, urls, voice } = deps;
  const doc = twiml();
  const ticket = await ctx.store.getTicket(ticketId);
  const line = ticket && ctx.line(ticket.line);
  if (!ticket || !line) {
    // A retried webhook's ticket may not be stored yet: its call record is. Without either
    // the call is unknown here, and the caller is not left waiting for nobody.
    const record = await desk.states.call(callSid);
    if (record?.ticket === ticketId && ctx.clock.now() - record.since < NEVER_MADE_MS) doc.pause({ length: NOT_YET_SECONDS });
    else {
      endCall(doc, ctx, undefined);
      if (record?.ticket === ticketId) await desk.states.forgetCall(callSid, ticketId);
    }
    return doc;
  }
  const spoken = voiceFor(ctx.config.lines, ticket.language);
  if (ticket.state === 'active' && ctx.clock.now() - (ticket.acceptedAt ?? 0) >= CONNECT_WITHIN_MS) {
    await desk.states.leaving(callSid, ticketId, { kind: 'requeue' });
    say(doc, spoken.speech, spoken.prompts.moving);
    doc.leave();
    return doc;
  }
  if (ticket.state === 'active') {
    // Answered: the operator's device is dialling this queue and will take the caller out.
    say(doc, spoken.speech, spoken.prompts.answering);
    doc.pause({ length: NOT_YET_SECONDS });
    return doc;
  }
  if (ticket.state === 'ended') {
    // Ended while the caller still waits (their operator never connected and was lost).
    endCall(doc, ctx, ticket.language);
    return doc;
  }
  const now = ctx.clock.now();
  const record: WaitRecord = (await desk.states.wait(ticketId)) ?? { seenAt: now, alternativesAt: null, bridged: false };
  record.seenAt = now;
  const waited = now - ticket.createdAt;

  const overflow = line.voice?.overflow;
  if (overflow && waited >= voice.overflowAfterMs && callSid) {
    await desk.states.leaving(callSid, ticketId, { kind: 'overflow' });
    say(doc, spoken.speech, spoken.prompts.overflow(overflow.name));
    doc.leave();
    return doc;
  }

  const [positions, operators, samples] = await Promise.all([
    ctx.store.queuePositions([ticket]),
    ctx.store.listPresence(),
    ctx.store.recentHandleTimes(ticket.line),
  ]);
  const standing = standingOf(positions.get(ticket.id) ?? 1, queueStaffing(operators, ticket), samples);
  // Another of the line's languages in which someone could take this topic now (and that
  // has its own prompts, so the offer is said in it).
  const others = line.languages.filter(
    (l) => l !== ticket.language && voiceFor(ctx.config.lines, l).code === l && anyoneOnDuty(operators, { line: line.id, language: l, topic: ticket.topic }),
  );
  const alternativesDue =
    (!standing.available || waited >= voice.overflowAfterMs) && (record.alternativesAt === null || now - record.alternativesAt >= ALTERNATIVES_AGAIN_MS);

  // Keys work during the whole run when another language is offered: the announcement and the hold.
  const into = alternativesDue && others.length > 0 ? doc.gather({ numDigits: 1, timeout: 1, action: urls.waitChoice(ticketId, others), method: 'POST' }) : doc;
  say(into, spoken.speech, spoken.prompts.position(standing.position));
  if (standing.available && standing.estimate !== null) say(into, spoken.speech, spoken.prompts.estimate(Math.floor(standing.estimate / 60)));
  if (!standing.available) say(into, spoken.speech, spoken.prompts.nobodyForLanguage(spoken.prompts.languageNames[ticket.language] ?? ticket.language));
  if (alternativesDue) {
    record.alternativesAt = now;
    others.forEach((language, i) => {
      const other = voiceFor(ctx.config.lines, language);
      say(into, other.speech, other.prompts.otherLanguageNow(i + 1));
    });
    for (const text of alternatives(ctx, line, ticket)) say(into, spoken.speech, text);
  }
  if (voice.holdMusicUrl) into.play(voice.holdMusicUrl);
  else into.pause({ length: Math.round(voice.announceEveryMs / 1000) });
  await desk.states.putWait(ticketId, record);
  return doc;
}

/** The line's hours, other lines of the same family, the emergency number; then "keep waiting". */
function alternatives(ctx: RelayContext, line: LineConfig, ticket: Ticket): string[] {
  const spoken = voiceFor(ctx.config.lines, ticket.language);
  // Hours ignored (the demo) are no hours to tell a caller.
  const hours = ctx.config.ignoreHours ? null : spokenHours(line, spoken);
  return [
    ...(hours ? [spoken.prompts.openHours(hours)] : []),
    ...otherLines(ctx.config.lines, line, spoken),
    spoken.prompts.emergency(ctx.config.lines.emergency),
    spoken.prompts.keepWaiting,
  ];
}

/** A key pressed during the wait: the caller takes another language's queue (or misdialled). */
export function chosenLanguage(options: string | undefined, digits: string | undefined): LanguageCode | undefined {
  const list = (options ?? '').split(',').filter(Boolean);
  return digits && /^[1-9]$/.test(digits) ? list[Number(digits) - 1] : undefined;
}

/** Sorry, call again, or 112 in an emergency; then hang up. */
function endCall(doc: Response, ctx: RelayContext, language: LanguageCode | undefined): void {
  const spoken = voiceFor(ctx.config.lines, language ?? 'en');
  say(doc, spoken.speech, spoken.prompts.trouble(ctx.config.lines.emergency));
  doc.hangup();
}
