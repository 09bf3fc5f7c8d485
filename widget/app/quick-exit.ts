import { createExitKeyDetector } from '../../browser-shared/exit-keys.js';
import { isHostToFrame, type FrameToHost } from '../../browser-shared/frame-messages.js';

export interface QuickExitOptions {
  framed: boolean;
  exitUrl(): string;
  /** End the chat, wipe keys and clear the page: must be synchronous and never throw. */
  wipe(): void;
}

/**
 * Quick exit from inside the iframe: the button, Shift ×3 / Escape ×2, or the host page's
 * own keys (it sends quietline:wipe). Wipe first — the chat must be gone even if leaving
 * fails — then make the top page leave with location.replace so Back does not return.
 */
export function installQuickExit(options: QuickExitOptions): () => void {
  const leave = (askedByHost = false) => {
    try {
      options.wipe();
    } finally {
      navigateAway(options.framed, options.exitUrl(), askedByHost);
    }
  };

  const detect = createExitKeyDetector(() => leave());
  document.addEventListener('keydown', detect, true);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // The host page saw the exit keys: same as our button (it waits for our answer).
    if (options.framed && event.source === window.parent && isHostToFrame(event.data)) leave(true);
  });

  return () => leave();
}

function navigateAway(framed: boolean, url: string, askedByHost: boolean): void {
  if (!framed) {
    window.location.replace(url);
    return;
  }
  const exit: FrameToHost = { type: 'quietline:exit', url };
  // The message carries only the exit address, so any host origin may receive it.
  window.parent.postMessage(exit, '*');
  // Also move the top page ourselves, in case the host page has no working loader. Not
  // when we can see the loader will do it: two navigations would abort each other.
  if (!askedByHost && !loaderVisibleOnTop()) {
    try {
      // Works when same-origin, or cross-origin with the click's user activation.
      window.top?.location.replace(url);
    } catch {
      // Blocked: the loader's location.replace on the host page does the job.
    }
  }
  // No navigation of our own frame here: the page is already empty, and a frame that
  // navigates away right after postMessage may have its message dropped by the browser.
}

/** True only when the top page is ours to read (same origin) and runs the loader. */
function loaderVisibleOnTop(): boolean {
  try {
    return window.top?.document.getElementById('quietline-launcher') != null;
  } catch {
    return false; // cross-origin: we cannot tell, so we try both ways
  }
}
