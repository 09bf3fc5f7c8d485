import express, { type Request, type Router } from 'express';
import twilio from 'twilio';
import { PATHS, type VoiceTokenResponse } from '../../protocol/http.js';
import { authenticate } from '../auth/authenticate.js';
import type { OperatorDirectory } from '../accounts/directory.js';
import type { Sessions } from '../auth/sessions.js';
import { sendError } from '../http/errors.js';
import { sessionCookie } from '../http/session-route.js';
import type { RelayContext } from '../relay/relay-context.js';
import type { CallDesk } from './call-desk.js';
import type { VoiceConfig } from './voice-config.js';

const { AccessToken } = twilio.jwt;
const { VoiceGrant } = AccessToken;

export interface ConsoleVoiceDeps {
  ctx: RelayContext;
  desk: CallDesk;
  voice: VoiceConfig;
  sessions: Sessions;
  directory: OperatorDirectory;
}

/**
 * What a signed-in console needs to take calls: a short-lived token for its voice device
 * (which may only call our TwiML App, under the operator's opaque id), or, in the demo, the
 * stand-in for the device connecting.
 */
export function consoleVoiceRoutes({ ctx, desk, voice, sessions, directory }: ConsoleVoiceDeps): Router {
  const router = express.Router();
  const operator = async (req: Request) => {
    const auth = await authenticate(sessions, directory, sessionCookie(req));
    return auth.ok ? auth.account : undefined;
  };

  router.get(PATHS.voiceToken, (req, res, next) => {
    void (async () => {
      const account = await operator(req);
      if (!account) return sendError(res, 'ERR_UNAUTHENTICATED');
      if (voice.mode === 'simulated' || !voice.account) return void res.json({ mode: 'simulated' } satisfies VoiceTokenResponse);
      res.json(voiceToken(voice, account.id));
    })().catch(next);
  });

  if (voice.mode === 'simulated') {
    router.post(PATHS.voiceSimulatedConnect, (req, res, next) => {
      void (async () => {
        const account = await operator(req);
        if (!account) return sendError(res, 'ERR_UNAUTHENTICATED');
        const ticket = typeof (req.body as { ticket?: unknown } | undefined)?.ticket === 'string' ? (req.body as { ticket: string }).ticket : '';
        // The same decision /voice/connect makes for a real device.
        const verdict = await desk.connectable(ticket, account.id);
        if (!verdict.ok) return sendError(res, verdict.why === 'caller-gone' ? 'ERR_CHAT_ENDED' : 'ERR_NOT_IN_CHAT');
        const wait = await desk.states.wait(ticket);
        await desk.states.putWait(ticket, { seenAt: wait?.seenAt ?? ctx.clock.now(), alternativesAt: wait?.alternativesAt ?? null, bridged: true });
        ctx.logger.info({ event: 'call.connecting', ticket, operator: account.id, mode: 'simulated' }, 'operator connecting to call');
        res.json({ state: 'connected' });
      })().catch(next);
    });
  }
  return router;
}

/**
 * A token for @twilio/voice-sdk's Device: outgoing calls to our TwiML App only (no incoming:
 * the console connects out, see docs/voice.md), as the operator's opaque id, for at most an hour.
 */
export function voiceToken(voice: VoiceConfig, operatorId: string): VoiceTokenResponse {
  const account = voice.account!;
  const token = new AccessToken(account.accountSid, account.apiKeySid, account.apiKeySecret, { identity: operatorId, ttl: voice.tokenTtlSeconds });
  token.addGrant(new VoiceGrant({ outgoingApplicationSid: account.twimlAppSid, incomingAllow: false }));
  return { mode: 'twilio', token: token.toJwt(), identity: operatorId, expiresIn: voice.tokenTtlSeconds };
}
