/**
 * Messages between the loader on the host page and the chat app in our iframe. They carry
 * no chat content: only "leave now", "hide me", where quick exit goes, whether a chat
 * exists (so quick exit works while minimised), "one more new message" (never its text)
 * and the interface language (so the launcher's words follow a switch).
 */
export const DEFAULT_EXIT_URL = 'https://www.google.com/search?q=weather';

export type FrameToHost =
  /** Quick exit: the host page must leave for `url` with location.replace. */
  | { type: 'quietline:exit'; url: string }
  /** Hide the chat panel; the chat itself goes on. */
  | { type: 'quietline:close' }
  /** The configured exit URL, sent once known, so the host's own keys use it too. */
  | { type: 'quietline:exit-url'; url: string }
  /** A chat or a request exists (`active`), or no longer: quick exit must work while minimised. */
  | { type: 'quietline:chat'; active: boolean }
  /** The counsellor wrote: the launcher counts these while minimised. */
  | { type: 'quietline:new-message' }
  /** The visitor switched the interface language in the widget. */
  | { type: 'quietline:lang'; lang: string };

export type HostToFrame = { type: 'quietline:wipe' };

/** Only plain http(s) addresses may be exit targets: never javascript: or data:. */
export function safeExitUrl(candidate: unknown, fallback: string = DEFAULT_EXIT_URL): string {
  if (typeof candidate !== 'string') return fallback;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : fallback;
  } catch {
    return fallback;
  }
}

export function parseFrameToHost(data: unknown): FrameToHost | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, url, active, lang } = data as { type?: unknown; url?: unknown; active?: unknown; lang?: unknown };
  if (type === 'quietline:close' || type === 'quietline:new-message') return { type };
  if (type === 'quietline:chat' && typeof active === 'boolean') return { type, active };
  if (type === 'quietline:lang' && typeof lang === 'string' && /^[a-z]{2,3}$/.test(lang)) return { type, lang };
  if ((type === 'quietline:exit' || type === 'quietline:exit-url') && typeof url === 'string') {
    return { type, url: safeExitUrl(url) };
  }
  return null;
}

export function isHostToFrame(data: unknown): data is HostToFrame {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'quietline:wipe';
}
