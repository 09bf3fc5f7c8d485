/** Limits shared by server, widget and console. Sizes are in bytes unless named otherwise. */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts; larger ones close the socket with 1009. */
  maxFrameBytes: 20 * 1024,
  /** Longest chat message a person may type, in characters (before padding and sealing). */
  maxMessageChars: 4000,
  /**
   * Largest sealed plaintext (the JSON-encoded message, UTF-8). 4000 characters of any script
   * fit (3 bytes each at most, plus the JSON around them); text that JSON must escape heavily
   * may not, and is refused before sealing rather than by the server after.
   */
  maxPlaintextBytes: 12 * 1024,
  /** Plaintext is padded to a multiple of this before sealing, so lengths leak little. */
  padBlockBytes: 256,
  /**
   * Largest base64 ciphertext a `msg` may carry: nonce (24) + padded maximum plaintext
   * (12 288 + one pad block) + tag (16) bytes, as unpadded base64.
   */
  maxCiphertextChars: 17 * 1024,
  /** Per-connection message budget: this many messages ... */
  messagesPerWindow: 30,
  /** ... per this many seconds. */
  messageWindowSeconds: 10,
  /** Longest id (ticket, operator, line, topic) accepted on the wire. */
  maxIdChars: 64,
} as const;
