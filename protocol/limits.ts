/** Limits shared by server, widget and console. Sizes are in bytes unless named otherwise. */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts; larger ones close the socket with 1009. */
  maxFrameBytes: 16 * 1024,
  /** Longest chat message a person may type, in characters (before padding and sealing). */
  maxMessageChars: 4000,
  /** Plaintext is padded to a multiple of this before sealing, so lengths leak little. */
  padBlockBytes: 256,
  /** Largest base64 ciphertext a `msg` may carry (fits the padded maximum message). */
  maxCiphertextChars: 12 * 1024,
  /** Per-connection message budget: this many messages ... */
  messagesPerWindow: 30,
  /** ... per this many seconds. */
  messageWindowSeconds: 10,
  /** Longest id (ticket, operator, line, topic) accepted on the wire. */
  maxIdChars: 64,
} as const;
