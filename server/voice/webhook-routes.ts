import express, { type Request, type Response as HttpResponse, type Router } from 'express';
import { errorFields } from '../logging.js';
import type { RelayContext } from '../relay/relay-context.js';
import { StoreUnavailableError } from '../store/store.js';
import type { CallDesk } from './call-desk.js';
import { incoming, languageChosen, topicChosen, type CallParams, type MenuDeps } from './menus.js';
import { afterQueue } from './queue-result.js';
import { requireTwilioSignature } from './signature.js';
import { voiceFor } from './speech.js';
import type { TwilioCleanup } from './twilio-cleanup.js';
import { say, twiml, type Response } from './twiml.js';
import type { VoiceConfig } from './voice-config.js';
import { VOICE_PATHS, type VoiceUrls } from './voice-urls.js';
import { chosenLanguage, waitTwiml } from './waiting.js';

export interface WebhookDeps {
  ctx: RelayContext;
  desk: CallDesk;
  urls: VoiceUrls;
  voice: VoiceConfig;
  cleanup: TwilioCleanup | null;
}

/** Call statuses after which the call is over (Twilio's status callback). */
const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** What the operator's device sends as From: `client:<identity>`, the identity being the operator id. */
const CLIENT_PREFIX = 'client:';

/**
 * Twilio's webhooks, every one signature-checked before it is read. Each reads only the
 * parameters it needs (CallSid, To once, Digits, QueueResult, CallStatus, the ticket it was
 * given): From, Caller and the rest are never read, stored or logged.
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const { ctx, desk, urls, voice, cleanup } = deps;
  const menus: MenuDeps = { desk, urls, lines: ctx.config.lines };
  const router = express.Router();
  // Twilio posts forms; each route parses its own and checks the signature before anything else.
  const twilioOnly = [express.urlencoded({ extended: false, limit: '16kb' }), requireTwilioSignature(voice.authToken, voice.publicBaseUrl, ctx.logger)];

  const post = (path: string, answer: (req: Request, params: CallParams & Record<string, string | undefined>) => Promise<Response>) =>
    router.post(path, ...twilioOnly, (req, res) => {
      const params = req.body as Record<string, string | undefined>;
      if (!params.CallSid) return void sendTwiml(res, trouble(ctx));
      answer(req, params)
        .then(
          (doc) => sendTwiml(res, doc),
          (error: unknown) => {
            ctx.logger[error instanceof StoreUnavailableError ? 'warn' : 'error']({ event: 'voice.failed', ...errorFields(error) }, 'voice webhook failed');
            // A waiting caller keeps waiting through a store blip (the wait URL runs again).
            sendTwiml(res, path === VOICE_PATHS.wait ? pause(5) : trouble(ctx));
          },
        )
        .catch(() => res.destroy());
    });
  const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
  const attempt = (req: Request) => Math.max(1, Number(query(req, 'try')) || 1);

  post(VOICE_PATHS.incoming, (_req, params) => incoming(menus, params));

  post(VOICE_PATHS.language, async (req, params) => {
    const line = ctx.line(query(req, 'line'));
    return line ? languageChosen(menus, params, line, attempt(req)) : trouble(ctx);
  });

  post(VOICE_PATHS.topic, async (req, params) => {
    const line = ctx.line(query(req, 'line'));
    const language = query(req, 'language');
    return line && line.languages.includes(language) ? topicChosen(menus, params, line, language, attempt(req)) : trouble(ctx);
  });

  post(VOICE_PATHS.wait, (req, params) => waitTwiml({ ctx, desk, urls, voice }, query(req, 'ticket'), params.CallSid!));

  post(VOICE_PATHS.waitChoice, async (req, params) => {
    const ticketId = query(req, 'ticket');
    const ticket = await ctx.store.getTicket(ticketId);
    const language = chosenLanguage(query(req, 'options'), params.Digits);
    const doc = twiml();
    if (!ticket || ticket.state !== 'waiting') return doc;
    const spoken = voiceFor(ctx.config.lines, ticket.language);
    if (!language || !ctx.line(ticket.line)?.languages.includes(language)) {
      say(doc, spoken.speech, spoken.prompts.notAnOption);
      return doc;
    }
    // Out of this queue with <Leave/>; the Enqueue action then puts the call in the new one.
    await desk.states.leaving(params.CallSid!, ticketId, { kind: 'language', language });
    say(doc, voiceFor(ctx.config.lines, language).speech, voiceFor(ctx.config.lines, language).prompts.moving);
    doc.leave();
    return doc;
  });

  post(VOICE_PATHS.queueResult, async (req, params) => {
    // One caller per queue: whatever the result, the queue is empty now.
    cleanup?.queue(params.QueueSid);
    ctx.logger.info({ event: 'call.left-queue', ticket: query(req, 'ticket'), reason: params.QueueResult ?? '' }, 'call left its queue');
    return afterQueue({ ctx, desk, urls }, query(req, 'ticket'), params.CallSid!, params.QueueResult ?? '');
  });

  post(VOICE_PATHS.status, async (_req, params) => {
    if (FINAL_STATUSES.has(params.CallStatus ?? '')) {
      await desk.callEnded(params.CallSid!);
      // Twilio keeps the call's log (numbers, times) until it is deleted: now it may be.
      cleanup?.call(params.CallSid);
    }
    return twiml();
  });

  post(VOICE_PATHS.connect, async (_req, params) => {
    const doc = twiml();
    const from = params.From ?? '';
    const operatorId = from.startsWith(CLIENT_PREFIX) ? from.slice(CLIENT_PREFIX.length) : '';
    const verdict = await desk.connectable(params.ticket ?? '', operatorId);
    if (verdict.ok) {
      const dial = doc.dial({ action: urls.dialEnded(verdict.ticket.id), method: 'POST', timeout: 20 });
      dial.queue(verdict.ticket.id);
      ctx.logger.info({ event: 'call.connecting', ticket: verdict.ticket.id, operator: operatorId }, 'operator connecting to call');
      return doc;
    }
    const spoken = voiceFor(ctx.config.lines, verdict.ticket?.language ?? 'en');
    say(doc, spoken.speech, verdict.why === 'caller-gone' ? spoken.prompts.callerGone : spoken.prompts.notYours);
    doc.hangup();
    ctx.logger.warn({ event: 'call.connect-refused', operator: operatorId || null, reason: verdict.why }, 'connect refused');
    return doc;
  });

  post(VOICE_PATHS.dialEnded, async () => {
    const doc = twiml();
    doc.hangup();
    return doc;
  });

  if (voice.mode === 'simulated') {
    // The simulator's stand-in for Twilio's own knowledge: has a console "connected" yet?
    router.post(VOICE_PATHS.simulatedState, ...twilioOnly, (req, res, next) => {
      void (async () => {
        const ticket = await ctx.store.getTicket(query(req, 'ticket'));
        const wait = ticket && (await desk.states.wait(ticket.id));
        const state = !ticket || ticket.state === 'ended' ? 'ended' : ticket.state === 'active' && wait?.bridged ? 'bridged' : 'waiting';
        res.json({ state });
      })().catch(next);
    });
  }
  return router;
}

function sendTwiml(res: HttpResponse, doc: Response): void {
  res.type('text/xml').send(doc.toString());
}

function trouble(ctx: RelayContext): Response {
  const doc = twiml();
  const spoken = voiceFor(ctx.config.lines, 'en');
  say(doc, spoken.speech, spoken.prompts.trouble(ctx.config.lines.emergency));
  doc.hangup();
  return doc;
}

function pause(seconds: number): Response {
  const doc = twiml();
  doc.pause({ length: seconds });
  return doc;
}

