import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { idSchema, languageSchema } from '../../protocol/ids.js';
import type { LineId } from '../../protocol/ids.js';

/**
 * The lines, topics, hours and alternatives a deployment serves, validated once at start-up.
 * A bad file stops the process with a message that names the bad key, so a typo in hours or
 * a dangling alternative never reaches a visitor.
 */
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time "HH:MM" (00:00–24:00)');

const periodSchema = z
  .strictObject({
    days: z.array(z.number().int().min(1).max(7)).min(1),
    from: time,
    to: time,
  })
  .refine((p) => p.from < p.to, { message: '"from" must be before "to"', path: ['to'] });

/** Used when neither the line nor the file says when to show alternatives to a waiting visitor. */
export const DEFAULT_ALTERNATIVES_AFTER_SECONDS = 300;

/** Used when neither the line nor the file sets a service-level target. */
export const DEFAULT_SERVICE_LEVEL_TARGET_SECONDS = 60;

/** Seconds of estimated wait; at most a day, so a typo in minutes or milliseconds stands out. */
const alternativesAfter = z.number().int().min(0).max(24 * 60 * 60);

const alternativeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('line'), line: idSchema }),
  z.strictObject({ kind: z.literal('phone'), name: z.string().min(1), number: z.string().min(1) }),
  z.strictObject({ kind: z.literal('web'), name: z.string().min(1), url: z.url() }),
]);

/** A phone number as Twilio sends it in `To`: E.164, "+" and digits. */
const e164 = z.string().regex(/^\+[1-9]\d{5,14}$/, 'a phone number in E.164 form, such as +3225550100');

/** How one language is spoken on the phone: Twilio's <Say> language and voice. */
const speechSchema = z.strictObject({ language: z.string().min(2), voice: z.string().min(1) });

/** A line's phone side (docs/voice.md); a line without it takes no calls. */
const lineVoiceSchema = z.strictObject({
  /** The Twilio numbers whose Voice URL is /voice/incoming and that reach this line. */
  numbers: z.array(e164).min(1),
  /** Where a caller who waited VOICE_OVERFLOW_AFTER_SECONDS is put through, if anywhere. */
  overflow: z.optional(z.strictObject({ name: z.string().min(1), number: e164 })),
});

/** A reply an operator may insert and edit before sending (the console's canned replies). */
const cannedReplySchema = z.strictObject({ title: z.string().min(1).max(60), text: z.string().min(1).max(2000) });

const lineSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  family: z.enum(['victim-support', 'perpetrator-prevention']),
  languages: z.array(languageSchema).min(1),
  topics: z.array(idSchema).min(1),
  phone: z.string().min(1).nullable(),
  timezone: z.string().optional(),
  hours: z.array(periodSchema),
  alternatives: z.array(alternativeSchema),
  /** Overrides the file's alternativesAfterSeconds for this line. */
  alternativesAfterSeconds: alternativesAfter.optional(),
  /** Overrides the file's serviceLevelTargetSeconds for this line. */
  serviceLevelTargetSeconds: z.number().int().min(1).max(3600).optional(),
  voice: lineVoiceSchema.optional(),
  /** Per language of the line, the canned replies its operators may insert (never shown to visitors as such). */
  cannedReplies: z.record(languageSchema, z.array(cannedReplySchema).max(50)).optional(),
});

const linesFileSchema = z.strictObject({
  $comment: z.string().optional(),
  emergency: z.string().min(1),
  exitUrl: z.url(),
  timezone: z.string(),
  /** Show a line's alternatives to a visitor whose wait estimate is above this many seconds. */
  alternativesAfterSeconds: alternativesAfter.default(DEFAULT_ALTERNATIVES_AFTER_SECONDS),
  /** The service level is the share of contacts answered within this many seconds. */
  serviceLevelTargetSeconds: z.number().int().min(1).max(3600).default(DEFAULT_SERVICE_LEVEL_TARGET_SECONDS),
  wrapUps: z.array(idSchema).min(1),
  topics: z.array(idSchema).min(1),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date "YYYY-MM-DD"')),
  /** Per language, how calls are spoken to (overrides server/voice/speech.ts's defaults). */
  voices: z.record(z.string(), speechSchema).default({}),
  lines: z.array(lineSchema).min(1),
});

/** A line with the file's defaults filled in. */
export type LineConfig = z.infer<typeof lineSchema> & { timezone: string; alternativesAfterSeconds: number; serviceLevelTargetSeconds: number };
export type LinesConfig = Omit<z.infer<typeof linesFileSchema>, 'lines' | '$comment' | 'alternativesAfterSeconds' | 'serviceLevelTargetSeconds'> & {
  lines: LineConfig[];
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validate parsed JSON as a lines config; throws ConfigError naming the first bad key. */
export function parseLinesConfig(raw: unknown, source = 'lines config'): LinesConfig {
  const result = linesFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${source}: ${keyPath(issue.path) || '(root)'}: ${issue.message}`);
  }
  const file = result.data;
  const fail = (key: string, message: string): never => {
    throw new ConfigError(`${source}: ${key}: ${message}`);
  };
  if (!isTimeZone(file.timezone)) fail('timezone', `unknown time zone "${file.timezone}"`);
  const ids = new Map<LineId, (typeof file.lines)[number]>();
  const numbers = new Map<string, LineId>();
  file.lines.forEach((line, i) => {
    if (ids.has(line.id)) fail(`lines[${i}].id`, `duplicate line id "${line.id}"`);
    ids.set(line.id, line);
    line.topics.forEach((topic, j) => {
      if (!file.topics.includes(topic)) fail(`lines[${i}].topics[${j}]`, `unknown topic "${topic}"`);
    });
    for (const language of Object.keys(line.cannedReplies ?? {})) {
      if (!line.languages.includes(language)) fail(`lines[${i}].cannedReplies.${language}`, `"${language}" is not a language of this line`);
    }
    if (line.timezone !== undefined && !isTimeZone(line.timezone)) {
      fail(`lines[${i}].timezone`, `unknown time zone "${line.timezone}"`);
    }
    // A called number must name one line: it is the only thing that says which line was called.
    line.voice?.numbers.forEach((number, j) => {
      const other = numbers.get(number);
      if (other !== undefined) fail(`lines[${i}].voice.numbers[${j}]`, `${number} already reaches line "${other}"`);
      numbers.set(number, line.id);
    });
  });
  file.lines.forEach((line, i) => {
    line.alternatives.forEach((alt, j) => {
      if (alt.kind !== 'line') return;
      const target = ids.get(alt.line);
      if (!target) fail(`lines[${i}].alternatives[${j}].line`, `unknown line "${alt.line}"`);
      // Victim support and perpetrator prevention must never send people to each other.
      if (target && target.family !== line.family) {
        fail(`lines[${i}].alternatives[${j}].line`, `"${alt.line}" is in another family of lines`);
      }
    });
  });
  return {
    emergency: file.emergency,
    exitUrl: file.exitUrl,
    timezone: file.timezone,
    wrapUps: file.wrapUps,
    topics: file.topics,
    holidays: file.holidays,
    voices: file.voices,
    lines: file.lines.map((line) => ({
      ...line,
      timezone: line.timezone ?? file.timezone,
      alternativesAfterSeconds: line.alternativesAfterSeconds ?? file.alternativesAfterSeconds,
      serviceLevelTargetSeconds: line.serviceLevelTargetSeconds ?? file.serviceLevelTargetSeconds,
    })),
  };
}

export async function loadLinesConfig(path: string): Promise<LinesConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseLinesConfig(raw, path);
}
