/**
 * The demo's stand-in for TWILIO_AUTH_TOKEN: the demo's voice is simulated (`npm run call`
 * plays Twilio's side), and both sides must sign alike. Public on purpose: it guards nothing
 * but a demo on a developer's machine, and is never used outside the demo.
 */
export const DEMO_VOICE_AUTH_TOKEN = 'quietline-demo-voice-token';
