import expressStaticGzip from 'express-static-gzip';
import type { RequestHandler } from 'express';

/**
 * The browser bundles, sent brotli- or gzip-compressed from the .br/.gz files the build
 * writes beside each one (scripts/precompress.ts), so no CPU is spent compressing per
 * request and a cheap phone downloads a fraction of the bytes. A client that accepts
 * neither gets the plain file. Caching stays off (security-headers.ts): a cached widget
 * would be a trace on the device.
 */
export function staticFiles(publicDir: string): RequestHandler {
  return expressStaticGzip(publicDir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: 'index.html',
    serveStatic: { etag: false, lastModified: false, index: 'index.html' },
  }) as RequestHandler;
}
