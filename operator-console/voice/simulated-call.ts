import { simulatedConnect } from '../api.js';
import type { CallEvents, VoiceCall } from './voice-call.js';

/**
 * The demo's voice, without Twilio: the server is told we stand connected to the call we
 * hold, and no audio flows. Mute is only shown; hanging up only goes to the wrap-up.
 */
export function simulatedCall(ticket: string, events: CallEvents): VoiceCall {
  let over = false;
  events.state('connecting');
  void simulatedConnect(ticket).then((result) => {
    if (over) return;
    if (result.ok) events.state('simulated');
    else events.state('error', result.code === 'network' ? 'desk.offline' : `errors.${result.code}`);
  });
  return {
    mute: () => undefined,
    hangUp: () => {
      over = true;
    },
  };
}
