import { LIMITS } from '../protocol/limits.js';

/**
 * What travels inside the encryption: only widget and console ever see these types.
 * The server never imports e2e/, so it cannot even name them.
 */
export type ChatPlaintext = { t: 'text'; body: string };

export function isChatPlaintext(value: unknown): value is ChatPlaintext {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.t === 'text' && typeof v.body === 'string' && v.body.length <= LIMITS.maxMessageChars;
}
