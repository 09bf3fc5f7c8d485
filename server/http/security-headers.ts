import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Headers for every response. Nothing may be cached or sent as a referrer (privacy
 * invariant 1); only our own scripts run; WebAssembly is allowed for libsodium. Only the
 * widget's iframe page may be framed, and only by the helplines' own pages. With Twilio voice,
 * the console (and only the console) may also reach Twilio: the voice SDK signals over
 * wss://*.twilio.com, reports to https://eventgw.*.twilio.com and plays its ringing and
 * hang-up sounds from https://sdk.twilio.com.
 */
export const TWILIO_VOICE_SOURCES = { connect: ['wss://*.twilio.com', 'https://*.twilio.com'], media: ['https://sdk.twilio.com'] };

export function securityHeaders(
  allowedOrigins: readonly string[],
  { twilioVoice = false }: { twilioVoice?: boolean } = {},
): { site: RequestHandler; widget: RequestHandler; console: RequestHandler; noStore: RequestHandler } {
  const directives = (frameAncestors: string[], voice = false) => ({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", ...(voice ? TWILIO_VOICE_SOURCES.connect : [])],
    mediaSrc: ["'self'", ...(voice ? TWILIO_VOICE_SOURCES.media : [])],
    frameSrc: ["'self'"],
    frameAncestors,
    baseUri: ["'none'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
    upgradeInsecureRequests: null,
  });
  const common = {
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginEmbedderPolicy: false,
    // The loader script is fetched by the helplines' pages, so it must be readable cross-origin.
    crossOriginResourcePolicy: { policy: 'cross-origin' as const },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  };
  return {
    site: helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: directives(["'none'"]) } }),
    console: helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: directives(["'none'"], twilioVoice) } }),
    widget: helmet({
      ...common,
      xFrameOptions: false, // frame-ancestors below says who may frame it
      contentSecurityPolicy: { useDefaults: false, directives: directives(["'self'", ...allowedOrigins]) },
    }),
    noStore: (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      next();
    },
  };
}
