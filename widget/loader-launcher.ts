import type { LoaderStrings } from './loader-strings.js';

/**
 * The controls the loader puts on the host page: the launcher (with a count of new
 * messages while the chat is minimised, never their text) and, while a chat exists and is
 * minimised, a Quick exit button beside it. Styles go through the CSSOM, which a strict
 * host CSP still allows; the host page's own CSS is overridden where it could hide or
 * shrink them.
 */
export const LAYER = '2147483000';
const FONT = '600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export interface Launcher {
  /** Everything the loader adds next to the iframe; the host page behind goes inert. */
  root: HTMLElement;
  open: HTMLButtonElement;
  quickExit: HTMLButtonElement;
  relabel(strings: LoaderStrings): void;
  /** `exitShown`: a chat exists and the panel is minimised. */
  update(state: { expanded: boolean; unread: number; exitShown: boolean }): void;
}

export function createLauncher(onOpen: () => void, onQuickExit: () => void): Launcher {
  const root = document.createElement('div');
  root.id = 'quietline-controls';
  Object.assign(root.style, {
    position: 'fixed', right: '16px', bottom: '16px', zIndex: LAYER, display: 'flex', gap: '8px',
    alignItems: 'center', margin: '0', padding: '0',
  });

  const button = (id: string, background: string): HTMLButtonElement => {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = id;
    Object.assign(b.style, {
      minHeight: '48px', minWidth: '48px', padding: '0 20px', margin: '0', borderRadius: '24px',
      border: '2px solid #ffffff', background, color: '#ffffff', font: FONT,
      boxShadow: '0 2px 8px rgba(0,0,0,0.3)', cursor: 'pointer', display: 'inline-flex',
      alignItems: 'center', gap: '8px',
    });
    return b;
  };

  const open = button('quietline-launcher', '#1f4e6b');
  open.setAttribute('aria-expanded', 'false');
  open.addEventListener('click', onOpen);
  const label = document.createElement('span');
  // A round badge with the number; the words for screen readers ride in the label.
  const badge = document.createElement('span');
  badge.setAttribute('aria-hidden', 'true');
  Object.assign(badge.style, {
    display: 'none', minWidth: '24px', height: '24px', padding: '0 6px', borderRadius: '12px',
    background: '#ffffff', color: '#1f4e6b', font: '700 14px/24px system-ui, sans-serif', textAlign: 'center',
  });
  open.append(label, badge);

  const quickExit = button('quietline-quick-exit', '#1a1a1a');
  quickExit.hidden = true;
  quickExit.addEventListener('click', onQuickExit);
  root.append(quickExit, open);

  let strings: LoaderStrings | null = null;
  let unread = 0;
  const applyLabel = () => {
    if (!strings) return;
    label.textContent = strings.launcher;
    badge.textContent = unread > 0 ? String(unread) : '';
    badge.style.display = unread > 0 ? 'inline-block' : 'none';
    if (unread > 0) open.setAttribute('aria-label', `${strings.launcher}, ${strings.unread.replace('{n}', String(unread))}`);
    else open.removeAttribute('aria-label');
  };

  return {
    root,
    open,
    quickExit,
    relabel(next) {
      strings = next;
      // Arabic and Farsi words read right to left even on a left-to-right host page.
      root.dir = next.lang === 'ar' || next.lang === 'fa' ? 'rtl' : 'ltr';
      open.lang = next.lang;
      quickExit.lang = next.lang;
      quickExit.textContent = next.quickExit;
      applyLabel();
    },
    update(state) {
      unread = state.unread;
      open.setAttribute('aria-expanded', String(state.expanded));
      quickExit.hidden = !state.exitShown;
      quickExit.style.display = state.exitShown ? 'inline-flex' : 'none';
      applyLabel();
    },
  };
}
