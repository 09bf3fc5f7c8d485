import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The TwiML verbs the simulator plays, parsed into plain values. Only what Quietline's voice
 * webhooks send is understood; anything else fails loudly rather than being skipped, so a
 * route that starts using a new verb is noticed here before Twilio meets it.
 */
export type Verb = Audible | Gather | Redirect | Enqueue | Leave | Hangup | Dial;

/** What the caller hears: the verbs allowed inside a <Gather>. */
export type Audible = Say | Play | Pause;

export interface Say {
  verb: 'Say';
  text: string;
  language: string | undefined;
  voice: string | undefined;
  /** Times said; 0 means "until something else happens", as in Twilio. */
  loop: number;
}

export interface Play {
  verb: 'Play';
  url: string;
  loop: number;
}

export interface Pause {
  verb: 'Pause';
  seconds: number;
}

export interface Gather {
  verb: 'Gather';
  /** Where the keys go; undefined: the document's own URL (Twilio's default). */
  action: string | undefined;
  method: HttpMethod;
  /** Keys to collect; undefined: until `finishOnKey` or the timeout. */
  numDigits: number | undefined;
  timeoutSeconds: number;
  finishOnKey: string;
  prompts: Audible[];
}

export interface Redirect {
  verb: 'Redirect';
  url: string;
  method: HttpMethod;
}

export interface Enqueue {
  verb: 'Enqueue';
  queue: string;
  action: string | undefined;
  method: HttpMethod;
  waitUrl: string | undefined;
  waitUrlMethod: HttpMethod;
}

export interface Leave {
  verb: 'Leave';
}

export interface Hangup {
  /** <Reject/> ends the call the same way for the caller. */
  verb: 'Hangup';
}

export interface Dial {
  verb: 'Dial';
  /** Numbers, clients or SIP addresses, as written. */
  targets: string[];
}

export type HttpMethod = 'POST' | 'GET';

export class TwimlError extends Error {}

/** One parsed element of fast-xml-parser's ordered output: `{ Tag: children, ':@': attributes }`. */
type OrderedNode = Record<string, unknown>;

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: OrderedNode[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Numbers such as "+3225550171" and digits in URLs stay text.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** The verbs of a TwiML document, in order. */
export function parseTwiml(xml: string): Verb[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new TwimlError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const roots = elements(parser.parse(xml) as OrderedNode[]);
  const response = roots.find((node) => node.name === 'Response');
  if (!response) throw new TwimlError(`no <Response> element (found ${roots.map((r) => `<${r.name}>`).join(', ') || 'nothing'})`);
  return elements(response.children).map(verb);
}

function verb(element: Element): Verb {
  const a = element.attributes;
  switch (element.name) {
    case 'Say':
    case 'Play':
    case 'Pause':
      return audible(element);
    case 'Gather': {
      const prompts = elements(element.children).map((child) => {
        if (!['Say', 'Play', 'Pause'].includes(child.name)) throw new TwimlError(`<${child.name}> is not allowed inside <Gather>`);
        return audible(child);
      });
      return {
        verb: 'Gather',
        action: a.action,
        method: method(a.method, 'Gather'),
        numDigits: a.numDigits === undefined ? undefined : count(a.numDigits, 'Gather numDigits'),
        timeoutSeconds: a.timeout === undefined ? 5 : count(a.timeout, 'Gather timeout'),
        finishOnKey: a.finishOnKey ?? '#',
        prompts,
      };
    }
    case 'Redirect':
      return { verb: 'Redirect', url: required(text(element), 'Redirect URL'), method: method(a.method, 'Redirect') };
    case 'Enqueue':
      return {
        verb: 'Enqueue',
        queue: required(text(element), 'Enqueue queue name'),
        action: a.action,
        method: method(a.method, 'Enqueue'),
        waitUrl: a.waitUrl,
        waitUrlMethod: method(a.waitUrlMethod, 'Enqueue waitUrlMethod'),
      };
    case 'Leave':
      return { verb: 'Leave' };
    case 'Hangup':
    case 'Reject':
      return { verb: 'Hangup' };
    case 'Dial': {
      const nested = elements(element.children).map((child) => required(text(child), `Dial <${child.name}>`));
      const targets = nested.length > 0 ? nested : [required(text(element), 'Dial number')];
      return { verb: 'Dial', targets };
    }
    default:
      throw new TwimlError(`<${element.name}> is not a verb the call simulator knows`);
  }
}

function audible(element: Element): Audible {
  const a = element.attributes;
  if (element.name === 'Say') {
    return { verb: 'Say', text: text(element), language: a.language, voice: a.voice, loop: a.loop === undefined ? 1 : count(a.loop, 'Say loop') };
  }
  if (element.name === 'Play') {
    return { verb: 'Play', url: required(text(element), 'Play URL'), loop: a.loop === undefined ? 1 : count(a.loop, 'Play loop') };
  }
  return { verb: 'Pause', seconds: a.length === undefined ? 1 : count(a.length, 'Pause length') };
}

/** The element children of an ordered node list, skipping text and the XML declaration. */
function elements(nodes: OrderedNode[]): Element[] {
  const out: Element[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
    if (name === undefined || name.startsWith('?')) continue;
    out.push({ name, attributes: (node[':@'] ?? {}) as Record<string, string>, children: node[name] as OrderedNode[] });
  }
  return out;
}

/** All text inside an element, SSML tags included, with single spaces. */
function text(element: Element): string {
  const parts: string[] = [];
  const walk = (nodes: OrderedNode[]) => {
    for (const node of nodes) {
      if (typeof node['#text'] === 'string') parts.push(node['#text']);
      else for (const child of elements([node])) walk(child.children);
    }
  };
  walk(element.children);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function required(value: string, what: string): string {
  if (value === '') throw new TwimlError(`${what} is empty`);
  return value;
}

function count(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new TwimlError(`${what}: "${value}" is not a whole number`);
  return n;
}

function method(value: string | undefined, what: string): HttpMethod {
  const upper = (value ?? 'POST').toUpperCase();
  if (upper !== 'POST' && upper !== 'GET') throw new TwimlError(`${what} method: "${value}" is neither POST nor GET`);
  return upper;
}
