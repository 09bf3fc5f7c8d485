/**
 * Everything a caller hears, per language, in plain words: short sentences, one thing each,
 * said by Twilio's <Say> in the line's voice for that language (speech.ts). A caller may be
 * overheard: nothing here names violence or abuse unless the caller chose it from the menu,
 * and nothing is ever said about the caller.
 */
export interface Prompts {
  /** The language's own name, as the language menu says it ("Nederlands"). */
  languageName: string;
  /** The languages' names as said in this language, for "nobody who speaks …" ("Dutch"). */
  languageNames: Record<string, string>;
  /** Spoken topic names, by topic id. */
  topics: Record<string, string>;
  /** The first words: which line, and (true, and what a frightened caller asks first) that their number is not shown. */
  welcome(line: string): string;
  /** The language menu's entry for this language, said in it. */
  pressForLanguage(digit: number): string;
  pressForTopic(topic: string, digit: number): string;
  notAnOption: string;
  /** Opening hours: a range of days and a time span, and how several are joined. */
  days(from: string, to: string | null): string;
  span(days: string, from: string, to: string): string;
  everyDay: string;
  and: string;
  /** Closed now; `hours` null for a line open day and night (closed for a holiday). */
  closed(line: string, hours: string | null): string;
  emergency(number: string): string;
  position(place: number): string;
  /** A wait estimate in whole minutes (0: under a minute). */
  estimate(minutes: number): string;
  nobodyForLanguage(language: string): string;
  /** Said in the other language: someone who speaks it can answer now, press `digit`. */
  otherLanguageNow(digit: number): string;
  openHours(hours: string): string;
  otherLine(name: string, number: string): string;
  keepWaiting: string;
  overflow(name: string): string;
  moving: string;
  answering: string;
  goodbye: string;
  trouble(emergency: string): string;
  notInService: string;
  /** Heard by an operator whose device reached a call that is not theirs, or whose caller left. */
  notYours: string;
  callerGone: string;
}
