import type { LanguageCode } from '../../protocol/ids.js';
import type { LinesConfig } from '../config/lines-config.js';
import { de } from './prompts/de.js';
import { en } from './prompts/en.js';
import { fr } from './prompts/fr.js';
import { nl } from './prompts/nl.js';
import type { Prompts } from './prompts/prompts.js';

/** How one language is spoken: Twilio's <Say> `language` and `voice` attributes. */
export interface Speech {
  language: string;
  voice: string;
}

/**
 * The languages a caller can be spoken to in, with Belgian variants where Twilio has them.
 * The lines file's `voices` overrides these per language (docs/voice.md lists how to pick).
 */
const PROMPTS: Record<string, Prompts> = { nl, fr, de, en };
const DEFAULT_SPEECH: Record<string, Speech> = {
  nl: { language: 'nl-BE', voice: 'Polly.Lisa-Neural' },
  fr: { language: 'fr-BE', voice: 'Polly.Isabelle-Neural' },
  de: { language: 'de-DE', voice: 'Polly.Vicki-Neural' },
  en: { language: 'en-GB', voice: 'Polly.Amy-Neural' },
};

/** What a call in `language` hears, and how it is said; English for a language without prompts. */
export interface Voice {
  code: LanguageCode;
  prompts: Prompts;
  speech: Speech;
}

export function voiceFor(lines: LinesConfig, language: LanguageCode): Voice {
  const known = PROMPTS[language] !== undefined;
  const code = known ? language : 'en';
  return { code, prompts: PROMPTS[code]!, speech: lines.voices[code] ?? DEFAULT_SPEECH[code]! };
}

/** Languages calls can be answered in: a line's other languages are spoken in English. */
export const SPOKEN_LANGUAGES = Object.keys(PROMPTS);
