import { LIMITS } from '../../protocol/limits.js';

/**
 * Abuse limits on visitors. Every one is a setting (server/config/settings.ts); a benchmark
 * driving thousands of chats from one loopback address raises them. Address limits are
 * counted per node (see docs/operations.md, "Limits per address").
 */
export interface RelayLimits {
  /** Socket upgrades per minute from one address (visitors' and consoles' alike). */
  upgradesPerMinute: number;
  /** New chats per ten minutes from one address ... */
  newChatsPer10Min: number;
  /** ... and open at once (waiting or talking). */
  openChatsPerAddress: number;
  /** Messages per connection per LIMITS.messageWindowSeconds: one socket, not an address. */
  messagesPerWindow: number;
  /**
   * Leave beacons kept while the store is away, to be done when it is back (about 100 bytes
   * each): they are unauthenticated until then, so they are bounded.
   */
  leaveBeaconsWhenBack: number;
}

/**
 * Loose on purpose: a shelter, a school, an office or a mobile network (carrier-grade NAT)
 * puts many people behind one address, and a limit that locks them out would turn away
 * exactly the people a helpline is for. They still stop one sender filling the queues:
 * - 40 open chats: 20 people chatting at once, each with a chat left over from a dropped
 *   connection (kept for the reconnect grace), or a class of 40;
 * - 100 new chats per 10 minutes: those people may each start two or three;
 * - 300 upgrades per minute: 40 widgets reconnecting seven times each in a minute of
 *   patchy Wi-Fi (the widget's backoff), or 300 widgets opened in that minute.
 */
export const DEFAULT_LIMITS: RelayLimits = {
  upgradesPerMinute: 300,
  newChatsPer10Min: 100,
  openChatsPerAddress: 40,
  messagesPerWindow: LIMITS.messagesPerWindow,
  leaveBeaconsWhenBack: 10_000,
};
