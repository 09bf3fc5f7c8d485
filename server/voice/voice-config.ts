import { ConfigError } from '../config/lines-config.js';
import type { Settings } from '../config/settings.js';
import { DEMO_VOICE_AUTH_TOKEN } from './demo-token.js';

/** The Twilio account's parts a real deployment needs: tokens for consoles, REST clean-up. */
export interface TwilioAccount {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** The TwiML App whose Voice URL is /voice/connect: the only one a console's token may call. */
  twimlAppSid: string;
}

/** Phone calls, validated at start-up; null in AppConfig when the deployment has none. */
export interface VoiceConfig {
  /** 'simulated': the demo without Twilio (`npm run call` plays Twilio's side). */
  mode: 'twilio' | 'simulated';
  /** Checks every webhook's X-Twilio-Signature. */
  authToken: string;
  /** The address Twilio calls, without a trailing slash: signatures are computed on it. */
  publicBaseUrl: string;
  account: TwilioAccount | null;
  holdMusicUrl: string | null;
  announceEveryMs: number;
  overflowAfterMs: number;
  tokenTtlSeconds: number;
}

const TWILIO_SETTINGS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET', 'TWILIO_TWIML_APP_SID', 'PUBLIC_BASE_URL'] as const;

/**
 * Voice is all or nothing: with none of the Twilio settings it is off (the demo simulates
 * it), with all of them on; anything in between stops start-up naming what is missing, so a
 * half-configured voice never answers a caller with an error.
 */
export function readVoiceConfig(settings: Settings, demo: boolean, demoBaseUrl: string): VoiceConfig | null {
  const twilioSet = TWILIO_SETTINGS.filter((name) => name !== 'PUBLIC_BASE_URL' && settings[name] !== undefined);
  const common = {
    holdMusicUrl: settings.VOICE_HOLD_MUSIC_URL ?? null,
    announceEveryMs: settings.VOICE_ANNOUNCE_EVERY_SECONDS * 1000,
    overflowAfterMs: settings.VOICE_OVERFLOW_AFTER_SECONDS * 1000,
    tokenTtlSeconds: settings.VOICE_TOKEN_TTL_SECONDS,
  };
  if (twilioSet.length === 0) {
    if (!demo) return null;
    const base = (settings.PUBLIC_BASE_URL ?? demoBaseUrl).replace(/\/+$/, '');
    return { mode: 'simulated', authToken: DEMO_VOICE_AUTH_TOKEN, publicBaseUrl: base, account: null, ...common };
  }
  const missing = TWILIO_SETTINGS.find((name) => settings[name] === undefined);
  if (missing) {
    throw new ConfigError(`environment: ${missing}: required for phone calls, because ${twilioSet.join(', ')} ${twilioSet.length === 1 ? 'is' : 'are'} set (docs/voice.md)`);
  }
  const base = settings.PUBLIC_BASE_URL!.replace(/\/+$/, '');
  if (!demo && !base.startsWith('https://')) {
    throw new ConfigError('environment: PUBLIC_BASE_URL: must be https:// for Twilio webhooks outside the demo');
  }
  return {
    mode: 'twilio',
    authToken: settings.TWILIO_AUTH_TOKEN!,
    publicBaseUrl: base,
    account: {
      accountSid: settings.TWILIO_ACCOUNT_SID!,
      apiKeySid: settings.TWILIO_API_KEY_SID!,
      apiKeySecret: settings.TWILIO_API_KEY_SECRET!,
      twimlAppSid: settings.TWILIO_TWIML_APP_SID!,
    },
    ...common,
  };
}
