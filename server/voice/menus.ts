import type { LanguageCode, TicketId } from '../../protocol/ids.js';
import type { LineConfig, LinesConfig } from '../config/lines-config.js';
import type { CallDesk } from './call-desk.js';
import { voiceFor, type Voice } from './speech.js';
import { spokenHours } from './spoken-hours.js';
import { menu, say, twiml, type Response } from './twiml.js';
import type { VoiceUrls } from './voice-urls.js';

/** Seconds a menu waits for a key. */
const MENU_TIMEOUT_SECONDS = 6;
/** A menu is said once more after no key or a wrong one, then its first choice is taken. */
const MENU_ATTEMPTS = 2;

export interface MenuDeps {
  desk: CallDesk;
  urls: VoiceUrls;
  lines: LinesConfig;
}

/** What a call's webhooks tell us, by Twilio's parameter names: the rest is never read. */
export interface CallParams {
  CallSid?: string;
  To?: string;
  Digits?: string;
}

/**
 * The first answer to a call: which line was called (by the number, which goes no further),
 * whether it is open, then the language menu — or, for a line with one language, the next
 * step straight away.
 */
export async function incoming(deps: MenuDeps, params: CallParams): Promise<Response> {
  const doc = twiml();
  const line = deps.desk.lineCalled(params.To);
  if (!line) {
    say(doc, voiceFor(deps.lines, 'en').speech, voiceFor(deps.lines, 'en').prompts.notInService);
    doc.hangup();
    return doc;
  }
  const first = voiceFor(deps.lines, line.languages[0]!);
  if (!deps.desk.isOpen(line)) return closed(deps, line);
  say(doc, first.speech, first.prompts.welcome(spokenName(line)));
  if (line.languages.length === 1) return afterLanguage(deps, params, line, line.languages[0]!, doc);
  languageMenu(deps, line, 1, doc);
  return doc;
}

/** Closed: the hours and what else exists, in each of the line's languages, then goodbye. */
function closed(deps: MenuDeps, line: LineConfig): Response {
  const doc = twiml();
  for (const language of line.languages) {
    const voice = voiceFor(deps.lines, language);
    const hours = spokenHours(line, voice);
    say(doc, voice.speech, voice.prompts.closed(spokenName(line), hours));
    for (const text of otherLines(deps.lines, line, voice)) say(doc, voice.speech, text);
    say(doc, voice.speech, voice.prompts.emergency(deps.lines.emergency));
  }
  doc.hangup();
  return doc;
}

/** A line's name as said in a sentence: "Stop It Now!" would end "…Now!." */
export function spokenName(line: Pick<LineConfig, 'name'>): string {
  return line.name.replace(/[.!?]+$/, '');
}

/** "You can also call …" for each phone number among the line's alternatives but its own. */
export function otherLines(lines: LinesConfig, line: LineConfig, voice: Voice): string[] {
  const out: string[] = [];
  for (const alt of line.alternatives) {
    // A 'line' alternative is always of the same family (the lines file is checked for it).
    const target = alt.kind === 'line' ? lines.lines.find((l) => l.id === alt.line) : undefined;
    const phone = alt.kind === 'phone' ? { name: alt.name, number: alt.number } : target?.phone ? { name: target.name, number: target.phone } : null;
    if (phone && phone.number !== line.phone) out.push(voice.prompts.otherLine(phone.name, phone.number));
  }
  return out;
}

function languageMenu(deps: MenuDeps, line: LineConfig, attempt: number, doc: Response): void {
  menu(doc, deps.urls.language(line.id, attempt), MENU_TIMEOUT_SECONDS, (gather) => {
    line.languages.forEach((language, i) => {
      const voice = voiceFor(deps.lines, language);
      // A language without prompts of its own is named in English, and its callers hear English.
      const named = voice.code === language ? voice.prompts.pressForLanguage(i + 1) : voice.prompts.pressForTopic(englishName(language), i + 1);
      say(gather, voice.speech, named);
    });
  });
}

function englishName(language: string): string {
  return new Intl.DisplayNames('en', { type: 'language' }).of(language) ?? language;
}

/** The key pressed (or none) in the language menu. */
export async function languageChosen(deps: MenuDeps, params: CallParams, line: LineConfig, attempt: number): Promise<Response> {
  const doc = twiml();
  const chosen = choice(params.Digits, line.languages);
  if (chosen === undefined && attempt < MENU_ATTEMPTS) {
    const first = voiceFor(deps.lines, line.languages[0]!);
    if (params.Digits) say(doc, first.speech, first.prompts.notAnOption);
    languageMenu(deps, line, attempt + 1, doc);
    return doc;
  }
  return afterLanguage(deps, params, line, chosen ?? line.languages[0]!, doc);
}

async function afterLanguage(deps: MenuDeps, params: CallParams, line: LineConfig, language: LanguageCode, doc: Response): Promise<Response> {
  if (line.topics.length === 1) return enqueue(deps, params, { line: line.id, language, topic: line.topics[0]! }, doc);
  topicMenu(deps, line, language, 1, doc);
  return doc;
}

function topicMenu(deps: MenuDeps, line: LineConfig, language: LanguageCode, attempt: number, doc: Response): void {
  const voice = voiceFor(deps.lines, language);
  menu(doc, deps.urls.topic(line.id, language, attempt), MENU_TIMEOUT_SECONDS, (gather) => {
    line.topics.forEach((topic, i) => say(gather, voice.speech, voice.prompts.pressForTopic(voice.prompts.topics[topic] ?? topic, i + 1)));
  });
}

/** The key pressed (or none) in the topic menu. */
export async function topicChosen(deps: MenuDeps, params: CallParams, line: LineConfig, language: LanguageCode, attempt: number): Promise<Response> {
  const doc = twiml();
  const chosen = choice(params.Digits, line.topics);
  if (chosen === undefined && attempt < MENU_ATTEMPTS) {
    const voice = voiceFor(deps.lines, language);
    if (params.Digits) say(doc, voice.speech, voice.prompts.notAnOption);
    topicMenu(deps, line, language, attempt + 1, doc);
    return doc;
  }
  return enqueue(deps, params, { line: line.id, language, topic: chosen ?? line.topics[0]! }, doc);
}

/** The call becomes a ticket and waits in a Twilio queue of its own, named after it. */
async function enqueue(deps: MenuDeps, params: CallParams, route: { line: string; language: string; topic: string }, doc: Response): Promise<Response> {
  const ticket = await deps.desk.enqueue(params.CallSid ?? '', route);
  enqueueInto(deps.urls, ticket, doc);
  return doc;
}

/**
 * <Enqueue> into the ticket's own queue: <Dial><Queue> takes a queue's first caller, so only
 * a queue per ticket lets routing, not arrival order, choose who is answered.
 */
export function enqueueInto(urls: VoiceUrls, ticket: TicketId, doc: Response): void {
  doc.enqueue({ action: urls.queueResult(ticket), method: 'POST', waitUrl: urls.wait(ticket), waitUrlMethod: 'POST' }, ticket);
}

/** The option a single key picks (1 = first), if it picks one. */
export function choice<T>(digits: string | undefined, options: readonly T[]): T | undefined {
  if (!digits || !/^[1-9]$/.test(digits)) return undefined;
  return options[Number(digits) - 1];
}
