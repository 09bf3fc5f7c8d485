import { config } from 'zod/mini';

/**
 * zod compiles fast validators with `new Function` when it can. Our CSP forbids eval, so
 * the probe would only log a CSP violation on every page load: tell zod up front.
 * Import this first in each browser entry point (zod/mini shares the setting with zod).
 */
config({ jitless: true });
