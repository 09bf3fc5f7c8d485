import type { IncomingMessage } from 'node:http';

/**
 * The connection address, for abuse limits only: it is HMAC'd at once by AddressKeyer and
 * never logged or stored. Behind `hops` trusted proxies, the address they saw.
 */
export function requestAddress(req: IncomingMessage, hops: number): string | undefined {
  if (hops > 0) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const address = forwarded[forwarded.length - hops];
    if (address) return address;
  }
  return req.socket.remoteAddress;
}

/** The origin this request was made to, as a browser would name it. */
export function selfOrigin(req: IncomingMessage, hops: number): string | undefined {
  const host = req.headers.host;
  if (!host) return undefined;
  const forwardedProto = hops > 0 ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() : '';
  const proto = forwardedProto || ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
  return `${proto}://${host}`;
}
