import { createExitKeyDetector } from '../browser-shared/exit-keys.js';
import { DEFAULT_EXIT_URL, parseFrameToHost, type HostToFrame } from '../browser-shared/frame-messages.js';
import { createLauncher, LAYER } from './loader-launcher.js';
import { loaderStrings } from './loader-strings.js';

/**
 * The script a helpline puts on its page: a launcher button and, on demand, an iframe from
 * our origin that holds the whole chat (keys and plaintext never touch the host page).
 *
 *   <script src="https://chat.example/widget.js" data-line="1712" data-lang="nl" async></script>
 *
 * It stores nothing and fetches nothing. While a chat exists — open, minimised or
 * reconnecting — quick exit works from the host page too: Shift ×3, Escape ×2, or the
 * Quick exit button that shows beside the launcher while the chat is minimised.
 */
const NARROW = '(max-width: 480px)';
const WIPE_GRACE_MS = 300;

function start(script: HTMLScriptElement): void {
  const origin = new URL(script.src, document.baseURI).origin;
  let exitUrl = DEFAULT_EXIT_URL;
  let frame: HTMLIFrameElement | null = null;
  let isOpen = false;
  let chatActive = false;
  let unread = 0;
  /** Set by the visitor inside the widget; wins over the snippet's data-lang. */
  let chosenLang: string | null = null;
  const narrow = window.matchMedia(NARROW);
  const controls = createLauncher(() => setOpen(!isOpen), () => quickExit());

  const strings = () => loaderStrings(chosenLang ?? script.getAttribute('data-lang') ?? navigator.language);
  // The host page may be in another language than ours: mark our words' language so a
  // screen reader pronounces them right (WCAG 3.1.2).
  const relabel = () => {
    const s = strings();
    controls.relabel(s);
    if (frame) {
      frame.title = s.frameTitle;
      frame.lang = s.lang;
    }
  };
  relabel();
  // A host page may switch language (or line) after we ran, e.g. a single-page site.
  new MutationObserver(relabel).observe(script, { attributes: true, attributeFilter: ['data-lang'] });

  const refresh = () => controls.update({ expanded: isOpen, unread, exitShown: chatActive && !isOpen });

  /** On a phone the panel covers the page: the page behind must not take focus or clicks. */
  const madeInert = new Set<Element>();
  const setHostInert = (inert: boolean) => {
    if (inert) {
      for (const el of Array.from(document.body.children)) {
        if (el === frame || el === controls.root || el.hasAttribute('inert')) continue;
        el.setAttribute('inert', '');
        madeInert.add(el);
      }
    } else {
      for (const el of madeInert) el.removeAttribute('inert');
      madeInert.clear();
    }
  };

  const layout = () => {
    refresh();
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
    setHostInert(false);
    if (isOpen && full) setHostInert(true);
  };
  narrow.addEventListener('change', layout);

  const createFrame = (): HTMLIFrameElement => {
    const f = document.createElement('iframe');
    const line = script.getAttribute('data-line') ?? '';
    const lang = script.getAttribute('data-lang') ?? '';
    // Line and language ride in the hash, which never reaches a server log.
    f.src = `${origin}/widget/#line=${encodeURIComponent(line)}&lang=${encodeURIComponent(lang)}`;
    f.id = 'quietline-frame';
    f.title = strings().frameTitle;
    f.lang = strings().lang;
    f.referrerPolicy = 'no-referrer';
    Object.assign(f.style, {
      position: 'fixed', zIndex: String(Number(LAYER) + 1), border: '0', margin: '0',
      background: '#ffffff', boxShadow: '0 4px 24px rgba(0,0,0,0.35)', colorScheme: 'normal',
    });
    controls.open.setAttribute('aria-controls', f.id);
    document.body.appendChild(f);
    return f;
  };

  const setOpen = (open: boolean) => {
    isOpen = open;
    if (open) unread = 0;
    if (open && !frame) frame = createFrame();
    layout();
    if (open) frame?.focus();
    else controls.open.focus();
  };

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
    controls.root.style.display = 'none';
    if (!frame?.contentWindow) return leave(exitUrl);
    frame.contentWindow.postMessage(wipe, origin);
    frame.style.display = 'none';
    setTimeout(() => leave(exitUrl), WIPE_GRACE_MS);
  };

  const detectExitKeys = createExitKeyDetector(quickExit);
  document.addEventListener('keydown', (event) => {
    // Only while our panel is open or a chat exists: otherwise the host page's own
    // Escape and Shift are none of our business.
    if (isOpen || chatActive) detectExitKeys(event);
  }, true);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Only our own iframe may steer the page, and only in these few ways.
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    const message = parseFrameToHost(event.data);
    if (!message) return;
    switch (message.type) {
      case 'quietline:exit':
        return leave(message.url);
      case 'quietline:exit-url':
        exitUrl = message.url;
        return;
      case 'quietline:chat':
        chatActive = message.active;
        return refresh();
      case 'quietline:new-message':
        if (!isOpen) unread += 1;
        return refresh();
      case 'quietline:lang':
        chosenLang = message.lang;
        return relabel();
      case 'quietline:close':
        return setOpen(false);
    }
  });

  document.body.appendChild(controls.root);
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement && !document.getElementById('quietline-launcher')) {
  if (document.body) start(current);
  else document.addEventListener('DOMContentLoaded', () => start(current), { once: true });
}
