import { getVoiceToken } from '../api.js';
import { simulatedCall } from './simulated-call.js';
import { TwilioLine } from './twilio-line.js';
import type { CallEvents, VoiceCall } from './voice-call.js';

/** How this console places calls, as GET /api/voice/token said. */
type Mode =
  | { kind: 'none'; problem: string }
  | { kind: 'simulated' }
  | { kind: 'twilio'; line: TwilioLine };

/**
 * The console's voice connection: asks the server once how calls go (Twilio, the demo's
 * simulation, or not at all), then connects each call the operator is assigned.
 */
export class VoiceLine {
  private mode: Promise<Mode> | null = null;
  private stopped = false;

  /** Ask the server, once per page; again after a failure other than "no voice here". */
  start(): void {
    if (!this.stopped) this.mode ??= this.open();
  }

  connect(ticket: string, events: CallEvents): VoiceCall {
    let inner: VoiceCall | null = null;
    let muted = false;
    let over = false;
    events.state('connecting');
    this.start();
    void this.mode?.then((mode) => {
      if (over || this.stopped) return;
      if (mode.kind === 'none') return events.state('error', mode.problem);
      inner = mode.kind === 'simulated' ? simulatedCall(ticket, events) : mode.line.connect(ticket, events);
      if (muted) inner.mute(true);
    });
    return {
      mute: (on) => {
        muted = on;
        inner?.mute(on);
      },
      hangUp: () => {
        over = true;
        inner?.hangUp();
      },
    };
  }

  /** Signed out: no device, no token refreshes. */
  stop(): void {
    this.stopped = true;
    void this.mode?.then((mode) => {
      if (mode.kind === 'twilio') mode.line.destroy();
    });
  }

  private async open(): Promise<Mode> {
    const result = await getVoiceToken();
    if (!result.ok) {
      // ERR_NOT_FOUND: this deployment has no voice (and so offers no calls): say nothing.
      if (result.code === 'ERR_NOT_FOUND') return { kind: 'none', problem: 'call.errors.noVoice' };
      this.mode = null;
      return { kind: 'none', problem: result.code === 'network' ? 'desk.offline' : 'call.errors.failed' };
    }
    if (result.value.mode === 'simulated') return { kind: 'simulated' };
    try {
      const line = await TwilioLine.open(result.value, getVoiceToken);
      if (this.stopped) line.destroy();
      return { kind: 'twilio', line };
    } catch {
      // The SDK did not load or refused the token: try again with the next call.
      this.mode = null;
      return { kind: 'none', problem: 'call.errors.failed' };
    }
  }
}
