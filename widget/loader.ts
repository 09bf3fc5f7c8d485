import { createExitKeyDetector } from './shared/exit-keys.js';
import { DEFAULT_EXIT_URL, parseFrameToHost, type HostToFrame } from './shared/frame-messages.js';
import { loaderStrings } from './loader-strings.js';

/**
 * The script a helpline puts on its page: a launcher button and, on demand, an iframe from
 * our origin that holds the whole chat (keys and plaintext never touch the host page).
 *
 *   <script src="https://chat.example/widget.js" data-line="1712" data-lang="nl" async></script>
 *
 * It stores nothing and fetches nothing. Styles are set through the CSSOM, which a strict
 * host CSP still allows, rather than with a <style> element.
 */
const NARROW = '(max-width: 480px)';
const LAYER = '2147483000';
const WIPE_GRACE_MS = 300;

function start(script: HTMLScriptElement): void {
  const origin = new URL(script.src, document.baseURI).origin;
  let exitUrl = DEFAULT_EXIT_URL;
  let frame: HTMLIFrameElement | null = null;
  let isOpen = false;
  const narrow = window.matchMedia(NARROW);

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.id = 'quietline-launcher';
  launcher.setAttribute('aria-expanded', 'false');
  Object.assign(launcher.style, {
    position: 'fixed', right: '16px', bottom: '16px', zIndex: LAYER,
    minHeight: '48px', minWidth: '48px', padding: '0 20px', margin: '0',
    borderRadius: '24px', border: '2px solid #ffffff', background: '#1f4e6b', color: '#ffffff',
    font: '600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    boxShadow: '0 2px 8px rgba(0,0,0,0.3)', cursor: 'pointer',
  });

  const label = () => loaderStrings(script.getAttribute('data-lang'));
  // The host page may be in another language than ours: mark our words' language so a
  // screen reader pronounces them right (WCAG 3.1.2).
  const relabel = () => {
    const strings = label();
    launcher.textContent = strings.launcher;
    launcher.lang = strings.lang;
    if (frame) {
      frame.title = strings.frameTitle;
      frame.lang = strings.lang;
    }
  };
  relabel();
  // A host page may switch language (or line) after we ran, e.g. a single-page site.
  new MutationObserver(relabel).observe(script, { attributes: true, attributeFilter: ['data-lang'] });

  const layout = () => {
    if (!frame) return;
    const full = narrow.matches;
    Object.assign(frame.style, {
      display: isOpen ? 'block' : 'none',
      top: full ? '0' : 'auto', left: full ? '0' : 'auto',
      right: full ? '0' : '16px', bottom: full ? '0' : '80px',
      width: full ? '100%' : '380px',
      height: full ? '100%' : 'min(640px, calc(100vh - 96px))',
      borderRadius: full ? '0' : '12px',
    });
  };
  narrow.addEventListener('change', layout);

  const createFrame = (): HTMLIFrameElement => {
    const f = document.createElement('iframe');
    const line = script.getAttribute('data-line') ?? '';
    const lang = script.getAttribute('data-lang') ?? '';
    // Line and language ride in the hash, which never reaches a server log.
    f.src = `${origin}/widget/#line=${encodeURIComponent(line)}&lang=${encodeURIComponent(lang)}`;
    f.id = 'quietline-frame';
    f.title = label().frameTitle;
    f.lang = label().lang;
    f.referrerPolicy = 'no-referrer';
    Object.assign(f.style, {
      position: 'fixed', zIndex: String(Number(LAYER) + 1), border: '0', margin: '0',
      background: '#ffffff', boxShadow: '0 4px 24px rgba(0,0,0,0.35)', colorScheme: 'normal',
    });
    launcher.setAttribute('aria-controls', f.id);
    document.body.appendChild(f);
    return f;
  };

  const setOpen = (open: boolean) => {
    isOpen = open;
    if (open && !frame) frame = createFrame();
    launcher.setAttribute('aria-expanded', String(open));
    layout();
    if (open) frame?.focus();
    else launcher.focus();
  };

  launcher.addEventListener('click', () => setOpen(!isOpen));

  // The iframe answers a wipe with quietline:exit once it has told the server to end the
  // chat; we leave then, or after a short grace if it does not answer (e.g. still loading).
  let leaving = false;
  const leave = (url: string) => {
    if (leaving) return;
    leaving = true;
    window.location.replace(url);
  };
  const quickExit = () => {
    const wipe: HostToFrame = { type: 'quietline:wipe' };
    if (!frame?.contentWindow) return leave(exitUrl);
    frame.contentWindow.postMessage(wipe, origin);
    frame.style.display = 'none';
    setTimeout(() => leave(exitUrl), WIPE_GRACE_MS);
  };

  const detectExitKeys = createExitKeyDetector(quickExit);
  document.addEventListener('keydown', (event) => {
    if (isOpen) detectExitKeys(event);
  }, true);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Only our own iframe may steer the page, and only in these few ways.
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    const message = parseFrameToHost(event.data);
    if (!message) return;
    if (message.type === 'quietline:exit') {
      leave(message.url);
    } else if (message.type === 'quietline:exit-url') {
      exitUrl = message.url;
    } else {
      setOpen(false);
    }
  });

  document.body.appendChild(launcher);
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement && !document.getElementById('quietline-launcher')) {
  if (document.body) start(current);
  else document.addEventListener('DOMContentLoaded', () => start(current), { once: true });
}
