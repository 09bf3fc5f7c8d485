/**
 * WebSocket close codes (4000–4999 are ours). Each error in errors.ts that ends a socket
 * names one of these, so a client knows whether reconnecting can help.
 */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  frameTooLarge: 1009,
  internal: 1011,
  /** This node is shutting down (SIGTERM): reconnect now, to another node, and resume. */
  serviceRestart: 1012,
  clientTooOld: 4001,
  rateLimited: 4002,
  lineClosed: 4003,
  sessionExpired: 4004,
  chatEnded: 4005,
  replaced: 4006,
  unauthenticated: 4007,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
