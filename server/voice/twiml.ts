import twilio from 'twilio';
import type { Speech } from './speech.js';

const { VoiceResponse } = twilio.twiml;
export type Response = InstanceType<typeof VoiceResponse>;
type Gather = ReturnType<Response['gather']>;
type SayAttributes = Parameters<Response['say']>[0] & object;

/** A TwiML document being written (Twilio's own builder, so it is valid and escaped). */
export function twiml(): Response {
  return new VoiceResponse();
}

/** Say `text` in a language's voice, in the document or inside a <Gather>. */
export function say(into: Response | Gather, speech: Speech, text: string): void {
  // Our voices come from the lines file: Twilio's lists of names grow faster than its types.
  const attributes = { language: speech.language, voice: speech.voice } as SayAttributes;
  into.say(attributes, text);
}

/**
 * A one-key menu: the prompts inside a <Gather> whose action gets the key, then, if no key
 * came within `timeoutSeconds`, the same action without one (Twilio runs the next verb).
 */
export function menu(doc: Response, action: string, timeoutSeconds: number, prompts: (gather: Gather) => void): void {
  const gather = doc.gather({ numDigits: 1, timeout: timeoutSeconds, action, method: 'POST' });
  prompts(gather);
  doc.redirect({ method: 'POST' }, action);
}
