import { XMLParser } from 'fast-xml-parser';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { TwilioRest } from '../../server/voice/twilio-cleanup.js';
import type { VoiceConfig } from '../../server/voice/voice-config.js';
import type { TestServer } from './test-server.js';
import { operatorSocket, type SocketClient } from './socket-client.js';

/**
 * Twilio's side of phone calls in tests: requests signed by the twilio library's own helper,
 * TwiML parsed as XML (never matched as text). The server is told its public base is
 * PUBLIC_BASE while the tests reach it on loopback, as behind a proxy.
 */
export const PUBLIC_BASE = 'https://voice.quietline.test';
export const TEST_AUTH_TOKEN = 'test-twilio-auth-token';

/** A caller's number that must never show up anywhere (logs, frames, Redis). */
export const SENTINEL_CALLER = '+32470987654';

export function testVoice(overrides: Partial<VoiceConfig> = {}): VoiceConfig {
  return {
    mode: 'simulated',
    authToken: TEST_AUTH_TOKEN,
    publicBaseUrl: PUBLIC_BASE,
    account: null,
    holdMusicUrl: null,
    announceEveryMs: 30_000,
    overflowAfterMs: 600_000,
    tokenTtlSeconds: 3600,
    ...overrides,
  };
}

/** One TwiML verb or noun: its name, attributes, text and children in document order. */
export interface Verb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true, parseTagValue: false, parseAttributeValue: false });

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function toVerbs(nodes: Node[]): Verb[] {
  const out: Verb[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '?xml') continue;
    const children = node[name] as Node[];
    const text = children
      .filter((c) => '#text' in c)
      .map((c) => String(c['#text']))
      .join('');
    out.push({ name, attrs: node[':@'] ?? {}, text, children: toVerbs(children) });
  }
  return out;
}

/** The verbs of a TwiML document (the children of <Response>). */
export function parseTwiml(xml: string): Verb[] {
  const [response] = toVerbs(parser.parse(xml) as Node[]);
  if (!response || response.name !== 'Response') throw new Error('not a TwiML <Response>');
  return response.children;
}

/** Every verb, nested ones included, depth first. */
export function allVerbs(verbs: Verb[]): Verb[] {
  return verbs.flatMap((v) => [v, ...allVerbs(v.children)]);
}

/** What the caller hears said, in order. */
export function spoken(verbs: Verb[]): string[] {
  return allVerbs(verbs)
    .filter((v) => v.name === 'Say')
    .map((v) => v.text);
}

export function find(verbs: Verb[], name: string): Verb | undefined {
  return allVerbs(verbs).find((v) => v.name === name);
}

export interface TwilioReply {
  status: number;
  body: string;
  verbs: Verb[];
}

/** Posts like Twilio: form-encoded, signed for the public URL, sent to the test server. */
export class TwilioSide {
  /** Every TwiML document the server answered through this side, for checks across a journey. */
  readonly documents: Verb[][] = [];

  constructor(
    private readonly server: Pick<TestServer, 'url'>,
    private readonly authToken = TEST_AUTH_TOKEN,
  ) {}

  /** `target`: a path ("/voice/incoming") or an absolute URL taken from TwiML. */
  async post(target: string, params: Record<string, string>, signature: string | null | 'sign' = 'sign'): Promise<TwilioReply> {
    const publicUrl = target.startsWith('http') ? target : `${PUBLIC_BASE}${target}`;
    if (!publicUrl.startsWith(PUBLIC_BASE)) throw new Error(`TwiML points outside the public base: ${publicUrl}`);
    const local = `${this.server.url}${publicUrl.slice(PUBLIC_BASE.length)}`;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const signed = signature === 'sign' ? twilio.getExpectedTwilioSignature(this.authToken, publicUrl, params) : signature;
    if (signed !== null) headers['x-twilio-signature'] = signed;
    const response = await fetch(local, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    const body = await response.text();
    const xml = (response.headers.get('content-type') ?? '').includes('xml');
    const verbs = xml ? parseTwiml(body) : [];
    if (xml) this.documents.push(verbs);
    return { status: response.status, body, verbs };
  }
}

const hex = (n: number) => randomBytes(n).toString('hex');

/** One phone call, as Twilio would carry it: its CallSid and numbers on every request. */
export class TestCall {
  readonly sid = `CA${hex(16)}`;
  readonly accountSid = `AC${'0'.repeat(32)}`;
  /** The queue Twilio would have made for the <Enqueue> name, once enqueued. */
  queueSid: string | null = null;
  enqueue: Verb | null = null;

  constructor(
    readonly twilio: TwilioSide,
    readonly to: string,
    readonly from = SENTINEL_CALLER,
  ) {}

  /** The parameters Twilio sends on every request of a call (numbers and places included). */
  params(extra: Record<string, string> = {}): Record<string, string> {
    return {
      CallSid: this.sid,
      AccountSid: this.accountSid,
      From: this.from,
      Caller: this.from,
      To: this.to,
      Called: this.to,
      CallerCity: 'BRUXELLES',
      CallerCountry: 'BE',
      CallerZip: '1000',
      CallStatus: 'in-progress',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      ...extra,
    };
  }

  async incoming(): Promise<TwilioReply> {
    return this.remember(await this.twilio.post('/voice/incoming', this.params({ CallStatus: 'ringing' })));
  }

  /** Press a key in the menu of `reply` (its <Gather>), or none (Twilio then runs the <Redirect>). */
  async press(reply: TwilioReply, digit: string | null): Promise<TwilioReply> {
    if (digit === null) {
      const redirect = reply.verbs.find((v) => v.name === 'Redirect');
      if (!redirect) throw new Error('no <Redirect> after the menu');
      return this.remember(await this.twilio.post(redirect.text, this.params()));
    }
    const gather = find(reply.verbs, 'Gather');
    if (!gather) throw new Error('no <Gather> to press a key in');
    return this.remember(await this.twilio.post(gather.attrs.action!, this.params({ Digits: digit })));
  }

  /** The ticket the call waits as: the name of its queue. */
  get ticket(): string {
    if (!this.enqueue) throw new Error('the call has not been enqueued');
    return this.enqueue.text;
  }

  /** One run of the wait URL, as Twilio makes it while the caller waits. */
  async wait(queueTimeSeconds = 0): Promise<TwilioReply> {
    if (!this.enqueue) throw new Error('the call has not been enqueued');
    const params = this.params({ QueueSid: this.queueSid!, QueuePosition: '1', QueueTime: String(queueTimeSeconds), AvgQueueTime: '0', CurrentQueueSize: '1' });
    return this.twilio.post(this.enqueue.attrs.waitUrl!, params);
  }

  /** Press a key during the wait (its <Gather>). */
  async pressInWait(reply: TwilioReply, digit: string): Promise<TwilioReply> {
    const gather = find(reply.verbs, 'Gather');
    if (!gather) throw new Error('no <Gather> in the wait');
    return this.twilio.post(gather.attrs.action!, this.params({ Digits: digit, QueueSid: this.queueSid! }));
  }

  /** The call leaves its queue: Twilio calls the <Enqueue> action with QueueResult. */
  async leaveQueue(result: 'hangup' | 'bridged' | 'leave' | 'error', queueTimeSeconds = 0): Promise<TwilioReply> {
    if (!this.enqueue) throw new Error('the call has not been enqueued');
    const reply = await this.twilio.post(
      this.enqueue.attrs.action!,
      this.params({ QueueResult: result, QueueSid: this.queueSid!, QueueTime: String(queueTimeSeconds) }),
    );
    return this.remember(reply);
  }

  /** Twilio's status callback at the end of the call. */
  async completed(status = 'completed'): Promise<TwilioReply> {
    return this.twilio.post('/voice/status', this.params({ CallStatus: status, CallDuration: '42' }));
  }

  /** Hanging up while waiting: both webhooks Twilio sends. */
  async hangUpWaiting(): Promise<void> {
    await this.leaveQueue('hangup');
    await this.completed();
  }

  private remember(reply: TwilioReply): TwilioReply {
    const enqueue = find(reply.verbs, 'Enqueue');
    if (enqueue) {
      this.enqueue = enqueue;
      this.queueSid = `QU${hex(16)}`;
    }
    return reply;
  }
}

/** The line's first number in the lines file. */
export function numberOf(server: Pick<TestServer, 'config'>, line: string): string {
  const number = server.config.lines.lines.find((l) => l.id === line)?.voice?.numbers[0];
  if (!number) throw new Error(`line ${line} has no voice number`);
  return number;
}

/**
 * A call through the menus to its queue: the digits that choose `language` and `topic` on
 * `line` (a menu is skipped when the line has one choice). Returns the call, enqueued.
 */
export async function placeCall(
  server: Pick<TestServer, 'url' | 'config'>,
  route: { line: string; language: string; topic: string },
  twilioSide = new TwilioSide(server),
): Promise<TestCall> {
  const line = server.config.lines.lines.find((l) => l.id === route.line)!;
  const call = new TestCall(twilioSide, numberOf(server, route.line));
  let reply = await call.incoming();
  if (line.languages.length > 1) reply = await call.press(reply, String(line.languages.indexOf(route.language) + 1));
  if (line.topics.length > 1) reply = await call.press(reply, String(line.topics.indexOf(route.topic) + 1));
  if (!call.enqueue) throw new Error(`the call was not enqueued: ${reply.body}`);
  return call;
}

/** Twilio's REST API as the tests see it: every deletion asked for, failing first if told to. */
export class RecordingTwilioRest implements TwilioRest {
  readonly removed: { kind: 'queue' | 'call'; sid: string }[] = [];
  readonly attempts: { kind: 'queue' | 'call'; sid: string }[] = [];
  failures = 0;

  async removeQueue(sid: string): Promise<void> {
    await this.attempt('queue', sid);
  }

  async removeCall(sid: string): Promise<void> {
    await this.attempt('call', sid);
  }

  private async attempt(kind: 'queue' | 'call', sid: string): Promise<void> {
    this.attempts.push({ kind, sid });
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('Twilio unavailable'), { status: 503 });
    }
    this.removed.push({ kind, sid });
  }
}



/** An operator's console, signed in and available. */
export async function onDuty(server: Pick<TestServer, 'url' | 'wsUrl'>, id: string): Promise<SocketClient> {
  const socket = await operatorSocket(server, id);
  await socket.next('welcome');
  socket.send({ type: 'status', status: 'available' });
  await socket.next('status');
  return socket;
}
