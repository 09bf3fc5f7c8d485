import '../browser-shared/zod-setup.js';
import type { OperatorProfile } from '../protocol/operator-messages.js';
import { h } from '../browser-shared/dom.js';
import { createAnnouncer } from './announcer.js';
import { getSession, signOut } from './api.js';
import { Desk } from './desk.js';
import { live, pickUiLanguage, setUiLanguage, t } from './i18n.js';
import { signInView } from './views/sign-in.js';
import { createTopBar } from './views/top-bar.js';

/**
 * The operator console: sign in, then the desk. Chat keys live in memory only; a reload
 * loses them (the server then lets the operator wrap those chats up, nothing more).
 */
setUiLanguage(pickUiLanguage(navigator.language));
let desk: Desk | null = null;
const announcer = createAnnouncer();
const topBar = createTopBar({
  onLanguage: setUiLanguage,
  onAvailable: (available) => desk?.setAvailable(available),
  onSignOut: () => void leave(),
});
// The main landmark holds whichever view is shown: sign-in, the desk, or a notice.
const content = h('main', { class: 'content' });
document.body.replaceChildren(topBar.el, content, announcer.el);

window.addEventListener('beforeunload', (event) => {
  // Leaving loses the keys of every open chat: make the browser ask first.
  if (desk?.hasChats) event.preventDefault();
});

void boot();

async function boot(): Promise<void> {
  content.replaceChildren(h('p', { class: 'loading' }, live(() => t('app.loading'))));
  const session = await getSession();
  if (session.ok) openDesk(session.value);
  else if (session.code === 'network' || session.code === 'ERR_UNAVAILABLE') {
    // Signed in or not, we cannot tell yet: offer to ask again rather than a sign-in
    // form that could not work either.
    content.replaceChildren(
      h('p', { role: 'alert' }, t(session.code === 'network' ? 'app.offline' : 'errors.ERR_UNAVAILABLE')),
      h('button', { type: 'button', class: 'primary', onclick: () => void boot() }, live(() => t('app.retry'))),
    );
  } else showSignIn();
}

function showSignIn(notice?: string): void {
  desk?.stop();
  desk = null;
  topBar.setOperator(null);
  topBar.setStatus(null);
  const view = signInView(() => void boot(), notice);
  content.replaceChildren(view);
  view.querySelector<HTMLInputElement>('input')?.focus();
}

function openDesk(profile: OperatorProfile): void {
  topBar.setOperator(profile.name);
  desk = new Desk({ topBar, announce: announcer.say, onSignedOut: showSignIn });
  content.replaceChildren(desk.el);
  desk.start();
  desk.el.querySelector<HTMLElement>('h1')?.focus();
}

async function leave(): Promise<void> {
  desk?.stop();
  desk = null;
  await signOut();
  showSignIn();
}
