import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Headers for every response. Nothing may be cached or sent as a referrer (privacy
 * invariant 1); only our own scripts run; WebAssembly is allowed for libsodium. Only the
 * widget's iframe page may be framed, and only by the helplines' own pages.
 */
export function securityHeaders(allowedOrigins: readonly string[]): { site: RequestHandler; widget: RequestHandler; noStore: RequestHandler } {
  const directives = (frameAncestors: string[]) => ({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
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
