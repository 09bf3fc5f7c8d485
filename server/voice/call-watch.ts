import type { Ticket } from '../routing/types.js';
import type { CallDesk } from './call-desk.js';

/**
 * A wait URL not run for this long (and for four announcement intervals) belongs to a call
 * that is over. Hold audio longer than this would have a waiting caller taken for lost:
 * VOICE_HOLD_MUSIC_URL should be a clip of about VOICE_ANNOUNCE_EVERY_SECONDS (docs/voice.md).
 */
export const MIN_STALE_MS = 10 * 60_000;

/**
 * The backstop for lost webhooks: a waiting call's wait URL runs again every announcement
 * interval while the caller is there, so one not run for several intervals means the call
 * ended and its hang-up never reached us. Runs on the full sweep, so on one node at a time.
 */
export function callWatch(desk: CallDesk, announceEveryMs: number): (t: Ticket, now: number) => Promise<void> {
  const staleMs = Math.max(MIN_STALE_MS, 4 * announceEveryMs);
  return async (t, now) => {
    if (t.channel !== 'call' || t.state !== 'waiting') return;
    const record = await desk.states.wait(t.id);
    if (now - (record?.seenAt ?? t.createdAt) >= staleMs) await desk.lost(t.id);
  };
}
