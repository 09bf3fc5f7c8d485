/**
 * The organisation's public key, baked in by scripts/build-browser.ts (null in a demo build).
 * It must come with the widget's code, never from the server's API: a relay that could hand
 * out the key could also hand out its own.
 */
declare const __QUIETLINE_ORG_KEY__: string | null;

export const ORG_PUBLIC_KEY: string | null = typeof __QUIETLINE_ORG_KEY__ === 'string' ? __QUIETLINE_ORG_KEY__ : null;
