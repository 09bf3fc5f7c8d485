import { parseTwiml, TwimlError, type HttpMethod, type Verb } from './twiml.js';
import type { Params, Webhooks } from './webhooks.js';

/** A TwiML document and the URL it came from (relative URLs in it resolve against that). */
export interface TwimlDocument {
  url: string;
  verbs: Verb[];
}

/** What the demo's stand-in for Twilio's bridge says about a queued call. */
export type SimulatedState = 'waiting' | 'bridged' | 'ended';

export interface CallIdentity {
  callSid: string;
  accountSid: string;
  from: string;
  to: string;
}

/**
 * One call's requests to the server: every one carries Twilio's standard parameters, with
 * CallStatus 'ringing' on the first and 'in-progress' after, as Twilio sends them.
 */
export class CallSession {
  private answered = false;

  constructor(
    private readonly webhooks: Webhooks,
    private readonly identity: CallIdentity,
    /** The server's public base URL, without a trailing slash. */
    readonly base: string,
  ) {}

  /** Requests `url` (relative to `from`, the document it was found in) and parses its TwiML. */
  async twiml(url: string, extra: Params = {}, method: HttpMethod = 'POST', from?: string): Promise<TwimlDocument> {
    const absolute = from === undefined ? url : new URL(url, from).toString();
    const body = await this.request(absolute, extra, method);
    try {
      return { url: absolute, verbs: parseTwiml(body) };
    } catch (error) {
      if (error instanceof TwimlError) throw new TwimlError(`${absolute}: ${error.message}`);
      throw error;
    }
  }

  /** The demo's simulated bridge: has a console "connected" this queued call yet? */
  async simulatedState(queue: string): Promise<SimulatedState> {
    const url = `${this.base}/voice/simulated/state?${new URLSearchParams({ ticket: queue }).toString()}`;
    const body = await this.request(url, {});
    let state: unknown;
    try {
      state = (JSON.parse(body) as { state?: unknown }).state;
    } catch {
      state = undefined;
    }
    if (state === 'waiting' || state === 'bridged' || state === 'ended') return state;
    throw new Error(`${url}: expected {"state":"waiting"|"bridged"|"ended"}, got ${body.slice(0, 200)}`);
  }

  /** The status callback Twilio sends once the call is over. */
  async completed(durationSeconds: number): Promise<void> {
    await this.request(`${this.base}/voice/status`, { CallStatus: 'completed', CallDuration: String(Math.round(durationSeconds)) });
  }

  private async request(url: string, extra: Params, method: HttpMethod = 'POST'): Promise<string> {
    const params: Params = {
      CallSid: this.identity.callSid,
      AccountSid: this.identity.accountSid,
      From: this.identity.from,
      To: this.identity.to,
      CallStatus: this.answered ? 'in-progress' : 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      ...extra,
    };
    this.answered = true;
    return this.webhooks.request(url, params, method);
  }
}
