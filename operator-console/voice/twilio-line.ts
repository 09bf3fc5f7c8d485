import type { Call, Device } from '@twilio/voice-sdk';
import type { VoiceTokenResponse } from '../../protocol/http.js';
import type { ApiResult } from '../api.js';
import type { CallEvents, CallState, VoiceCall } from './voice-call.js';

export type TwilioToken = Extract<VoiceTokenResponse, { mode: 'twilio' }>;

/** Ask for a new token at this share of its lifetime (the SDK's own warning comes 10 s before the end). */
const REFRESH_AT = 0.8;
/** After a failed refresh (network, server briefly out): try again this soon. */
const RETRY_MS = 30_000;
/** Twilio's codes for a microphone the browser would not give us. */
const MICROPHONE_ERRORS = new Set([31208, 31401, 31402]);
/** Twilio's codes for an access token that ran out before we replaced it. */
const EXPIRED_TOKEN_ERRORS = new Set([20104, 31205]);

/**
 * One Twilio Device for this console, used only to connect OUT: it never registers for
 * incoming calls. A call the operator holds is reached with `connect({ params: { ticket } })`;
 * the server's TwiML App bridges it to the caller waiting in that ticket's queue.
 * The SDK (about 300 kB) loads only here, when the server says voice goes through Twilio.
 */
export class TwilioLine {
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<void> | null = null;
  private destroyed = false;

  private constructor(
    private readonly device: Device,
    private readonly fetchToken: () => Promise<ApiResult<VoiceTokenResponse>>,
  ) {}

  static async open(token: TwilioToken, fetchToken: () => Promise<ApiResult<VoiceTokenResponse>>): Promise<TwilioLine> {
    const sdk = await import('@twilio/voice-sdk');
    const device = new sdk.Device(token.token, { appName: 'quietline-console' });
    const line = new TwilioLine(device, fetchToken);
    device.on('tokenWillExpire', () => void line.refresh());
    // A call's own errors also reach its 'error' listener (connect below). What is left here
    // is the signalling connection; an expired token is the one we can mend. The listener
    // must exist in any case: an EventEmitter throws an 'error' nobody listens to.
    device.on('error', (error: { code?: number }) => {
      if (error.code !== undefined && EXPIRED_TOKEN_ERRORS.has(error.code)) void line.refresh();
    });
    line.schedule(token.expiresIn * 1000 * REFRESH_AT);
    return line;
  }

  connect(ticket: string, events: CallEvents): VoiceCall {
    let call: Call | null = null;
    let over = false;
    let muted = false;
    const report = (state: CallState, problem?: string) => {
      if (!over) events.state(state, problem);
    };
    // Whatever went wrong, the console then says the call is over: make it so, so the
    // operator is never left on a line the screen says is gone.
    const failed = (error: unknown) => {
      report('error', problemKey(error));
      over = true;
      call?.disconnect();
    };
    report('connecting');
    this.device.connect({ params: { ticket } }).then((connected) => {
      if (over) {
        connected.disconnect();
        return;
      }
      call = connected;
      if (muted) connected.mute(true);
      connected.on('ringing', () => report('ringing'));
      connected.on('accept', () => report('connected'));
      connected.on('reconnecting', () => report('reconnecting'));
      connected.on('reconnected', () => report('connected'));
      connected.on('error', failed);
      connected.on('disconnect', () => {
        report('ended');
        over = true;
      });
    }, failed);
    return {
      mute: (on) => {
        muted = on;
        call?.mute(on);
      },
      hangUp: () => {
        over = true;
        call?.disconnect();
      },
    };
  }

  destroy(): void {
    this.destroyed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.device.destroy();
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.fetchToken().then((result) => {
      this.refreshing = null;
      if (this.destroyed) return;
      if (result.ok && result.value.mode === 'twilio') {
        this.device.updateToken(result.value.token);
        this.schedule(result.value.expiresIn * 1000 * REFRESH_AT);
      } else if (!result.ok && (result.code === 'network' || result.code === 'ERR_UNAVAILABLE' || result.code === 'ERR_INTERNAL')) {
        this.schedule(RETRY_MS);
      }
      // Otherwise signed out (the desk hears that on its socket) or voice was switched off.
    });
    return this.refreshing;
  }

  private schedule(ms: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.max(5_000, ms));
  }
}

function problemKey(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && MICROPHONE_ERRORS.has(code) ? 'call.errors.microphone' : 'call.errors.failed';
}
