/**
 * The wire protocol version. A widget may sit cached on a third-party page for a long time,
 * so clients send the version they speak and the server refuses ones it no longer serves
 * with ERR_CLIENT_TOO_OLD instead of failing in stranger ways later.
 */
export const PROTOCOL_VERSION = 1 as const;
export const MIN_SUPPORTED_PROTOCOL_VERSION = 1 as const;
