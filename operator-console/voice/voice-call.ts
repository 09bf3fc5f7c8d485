/**
 * What the console's voice connection reports about one call, whichever way it is carried
 * (Twilio's Voice SDK, or the demo's simulation). Leaf module: types only.
 */
export type CallState = 'connecting' | 'ringing' | 'connected' | 'simulated' | 'reconnecting' | 'ended' | 'error';

export interface CallEvents {
  /** `problem` is an i18n key, only with 'error'. */
  state(state: CallState, problem?: string): void;
}

export interface VoiceCall {
  mute(on: boolean): void;
  /** Disconnect the audio. Reports nothing more afterwards: the caller of hangUp knows. */
  hangUp(): void;
}
