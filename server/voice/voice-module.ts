import express, { type Router } from 'express';
import type { OperatorDirectory } from '../accounts/directory.js';
import type { Sessions } from '../auth/sessions.js';
import type { Dispatcher } from '../relay/dispatcher.js';
import type { RelayContext } from '../relay/relay-context.js';
import type { Sweeper } from '../relay/sweeper.js';
import type { VisitorChats } from '../relay/visitor-chats.js';
import { CallDesk } from './call-desk.js';
import { CallStates } from './call-state.js';
import { callWatch } from './call-watch.js';
import { consoleVoiceRoutes } from './console-routes.js';
import { TwilioCleanup, twilioRest, type TwilioRest } from './twilio-cleanup.js';
import type { VoiceConfig } from './voice-config.js';
import { VoiceUrls } from './voice-urls.js';
import { webhookRoutes } from './webhook-routes.js';

export interface VoiceModuleDeps {
  ctx: RelayContext;
  voice: VoiceConfig;
  visitors: VisitorChats;
  dispatcher: Dispatcher;
  sweeper: Sweeper;
  sessions: Sessions;
  directory: OperatorDirectory;
  /** Twilio's REST API; by default the real one when the account is configured. */
  rest?: TwilioRest;
}

export interface VoiceModule {
  router: Router;
  stop(): void;
}

/** Phone calls: Twilio's webhooks, the console's voice routes, and the watch for lost calls. */
export function voiceModule(deps: VoiceModuleDeps): VoiceModule {
  const { ctx, voice } = deps;
  const states = new CallStates(ctx.store, ctx.config.chatMaxMs);
  const desk = new CallDesk(ctx, deps.visitors, deps.dispatcher, states);
  const rest = deps.rest ?? (voice.account ? twilioRest(voice.account) : null);
  const cleanup = rest ? new TwilioCleanup(rest, ctx.clock, ctx.logger) : null;
  deps.sweeper.watchTickets(callWatch(desk, voice.announceEveryMs));
  const router = express.Router();
  router.use(webhookRoutes({ ctx, desk, urls: new VoiceUrls(voice.publicBaseUrl), voice, cleanup }));
  router.use(consoleVoiceRoutes({ ctx, desk, voice, sessions: deps.sessions, directory: deps.directory }));
  return { router, stop: () => cleanup?.stop() };
}
