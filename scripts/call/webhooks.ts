import twilio from 'twilio';
import type { HttpMethod } from './twiml.js';

/** Form parameters of one webhook request, as Twilio sends them. */
export type Params = Record<string, string>;

/** A webhook answered with something other than 2xx: the call cannot go on. */
export class WebhookFailed extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    /** The error registry's code from `{error: {code}}`, else the start of the body. */
    readonly code: string,
  ) {
    super(`${url} answered ${status}: ${code}`);
  }
}

/**
 * Twilio's side of the webhooks: each request is a form post signed with the auth token over
 * the exact URL requested and the parameters (X-Twilio-Signature), as Twilio signs them, so
 * the server's check runs as it would in production.
 */
export class Webhooks {
  constructor(
    private readonly authToken: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The body of a 2xx answer; WebhookFailed for anything else. */
  async request(url: string, params: Params, method: HttpMethod = 'POST'): Promise<string> {
    // Twilio puts a GET's parameters in the query and signs that URL with no body parameters.
    const target = method === 'GET' ? withQuery(url, params) : url;
    const signed = method === 'GET' ? {} : params;
    const headers: Record<string, string> = { 'x-twilio-signature': twilio.getExpectedTwilioSignature(this.authToken, target, signed) };
    const init: RequestInit = { method, headers };
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(params).toString();
    }
    const response = await this.fetchImpl(target, init);
    const body = await response.text();
    if (!response.ok) throw new WebhookFailed(url, response.status, errorCode(body));
    return body;
  }
}

function withQuery(url: string, params: Params): string {
  const u = new URL(url);
  for (const [key, value] of Object.entries(params)) u.searchParams.append(key, value);
  return u.toString();
}

function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    if (typeof parsed.error?.code === 'string') return parsed.error.code;
  } catch {
    // Not JSON: the text says what went wrong.
  }
  const text = body.trim();
  if (text === '') return '(empty body)';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
