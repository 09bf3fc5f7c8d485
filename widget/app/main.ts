import type { ErrorCode } from '../../protocol/errors.js';
import { PATHS, VERSION_PARAM, type LinesResponse, type PublicLine } from '../../protocol/http.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { DEFAULT_EXIT_URL, safeExitUrl, type FrameToHost } from '../../browser-shared/frame-messages.js';
import type { ChatFlow, ChatOutcome } from './chat-flow.js';
import type { ChatRequest } from './chat-session.js';
import { pickUiLanguage, setUiLanguage, t, type UiLanguage } from './i18n.js';
import { fetchLines } from './lines.js';
import { readParams } from './params.js';
import { installQuickExit } from './quick-exit.js';
import type { ChatView } from './views/chat.js';
import { closedView } from './views/closed.js';
import { endedPanel, endedView } from './views/ended.js';
import { noticeView } from './views/notice.js';
import { refusedView } from './views/refused.js';
import { createShell } from './views/shell.js';
import { startView, type StartChoice } from './views/start.js';
import { unavailableView } from './views/unavailable.js';
import { untrustedView } from './views/untrusted.js';

/**
 * The chat app inside our iframe. Everything it knows — lines, keys, the resume token,
 * the conversation — lives in this page's memory; it writes nothing to any storage on the
 * device. The chat itself (sockets, crypto, protocol) is a chunk loaded on "Start chat",
 * so the first view is small.
 */
const framed = window.parent !== window;
const params = readParams();
let exitUrl = DEFAULT_EXIT_URL;
let lines: LinesResponse | null = null;
let line: PublicLine | null = null;
let flow: ChatFlow | null = null;
/** An ended chat whose conversation is still on screen, until cleared. */
let kept: { view: ChatView; by: EndedBy } | null = null;
let choice: StartChoice = { language: params.lang, topic: null };

const postToHost = (message: FrameToHost) => {
  if (framed) window.parent.postMessage(message, '*');
};
/** The host page's quick exit must work while minimised whenever there is something to hide. */
const setActive = (active: boolean) => postToHost({ type: 'quietline:chat', active });
const loadChat = () => import('./chat-flow.js');

const quickExit = installQuickExit({
  framed,
  exitUrl: () => exitUrl,
  wipe: () => {
    const current = flow;
    flow = null;
    kept = null;
    try {
      current?.quickExit();
    } finally {
      document.body.replaceChildren();
    }
  },
});
let shell: ReturnType<typeof createShell> | null = null;
void boot();

async function boot(): Promise<void> {
  const linesLoad = fetchLines();
  linesLoad.catch(() => undefined); // handled in load()
  // The snippet's language, then the browser's, then English.
  const lang = pickUiLanguage(params.lang, ...navigator.languages);
  await setUiLanguage(lang).catch(() => setUiLanguage('en'));
  shell = createShell({
    framed,
    onQuickExit: quickExit,
    onMinimise: minimise,
    onLanguage: (next) => void switchLanguage(next),
  });
  document.body.replaceChildren(shell.root);
  await load(linesLoad);
}

async function load(linesLoad: Promise<LinesResponse>): Promise<void> {
  if (!shell) return;
  shell.show(noticeView(t('app.loadingTitle'), t('app.loading')), false);
  try {
    lines = await linesLoad;
  } catch {
    shell.show(noticeView(t('load.failedTitle'), t('load.failed'), { label: t('load.retry'), run: () => void load(fetchLines()) }));
    return;
  }
  exitUrl = safeExitUrl(lines.exitUrl);
  postToHost({ type: 'quietline:exit-url', url: exitUrl });
  shell.setEmergency(lines.emergency);
  line = lines.lines.find((l) => l.id === params.line) ?? null;
  if (!line) {
    shell.show(noticeView(t('unknownLine.title'), t('unknownLine.text')), false);
    return;
  }
  shell.setTitle(line.name);
  showHome(false);
}

async function switchLanguage(lang: UiLanguage): Promise<void> {
  await setUiLanguage(lang).catch(() => undefined);
  postToHost({ type: 'quietline:lang', lang });
  shell?.relabel();
  // Only offered while no chat is on screen, so the view can simply be drawn again;
  // focus stays on the language menu.
  if (!flow && !kept && line) showHome(false);
}

function minimise(): void {
  // Closing the widget after a chat ended is when its conversation goes.
  if (kept) clearKept();
  postToHost({ type: 'quietline:close' });
}

/** `focus: false`: leave focus where the visitor left it (after loading, after a switch). */
function showHome(focus?: false): void {
  if (!lines || !line || !shell) return;
  shell.setLanguageSwitch(true);
  if (!line.open) return shell.show(closedView(lines, line), focus);
  const view = startView(lines, line, choice, {
    onChoice: (next) => (choice = next),
    onStart: (request) => void startChat(request),
  });
  // The chat's code is fetched once the visitor starts to fill in the form.
  view.addEventListener('focusin', () => void loadChat().catch(() => undefined), { once: true });
  shell.show(view, focus);
}

async function startChat(request: ChatRequest): Promise<void> {
  if (!line || !lines || !shell) return;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socketUrl = `${scheme}//${window.location.host}${PATHS.visitorSocket}?${VERSION_PARAM}=${PROTOCOL_VERSION}`;
  shell.setLanguageSwitch(false);
  setActive(true);
  let module: Awaited<ReturnType<typeof loadChat>>;
  try {
    module = await loadChat();
  } catch {
    setActive(false);
    shell.show(unavailableView(lines, line, () => void startChat(request)));
    return;
  }
  const current: ChatFlow = new module.ChatFlow(shell, lines, line, {
    done: (outcome) => finished(current, outcome, request),
    newMessage: () => postToHost({ type: 'quietline:new-message' }),
  });
  flow = current;
  await current.start(socketUrl, request, lines.reconnectGraceSeconds * 1000);
}

/** `request` is what the visitor chose, so "Try again" can ask for the same chat. */
function finished(from: ChatFlow, outcome: ChatOutcome, request: ChatRequest): void {
  if (flow !== from || !lines || !line || !shell) return;
  flow = null;
  const transcript = from.chatView;
  if (outcome.kind === 'ended' && transcript) {
    // The counsellor's advice and numbers stay readable until cleared.
    kept = { view: transcript, by: outcome.by };
    transcript.showEnded(endedPanel(lines, line, outcome.by, { onClear: () => clearKept(true), onRestart: () => clearKept() }));
    return;
  }
  setActive(false);
  shell.setLanguageSwitch(true);
  if (outcome.kind === 'ended') shell.show(endedView(lines, line, outcome.by, () => showHome()));
  else if (outcome.kind === 'untrusted') shell.show(untrustedView(lines, line, () => showHome()));
  else refused(outcome.code, request);
}

function refused(code: ErrorCode, request: ChatRequest): void {
  if (!lines || !line || !shell) return;
  if (code === 'ERR_LINE_CLOSED') shell.show(closedView(lines, line));
  else if (code === 'ERR_UNAVAILABLE') shell.show(unavailableView(lines, line, () => void startChat(request)));
  else if (code === 'ERR_CLIENT_TOO_OLD') {
    shell.show(noticeView(t('tooOld.title'), t('errors.ERR_CLIENT_TOO_OLD'), { label: t('tooOld.reload'), run: () => window.location.reload() }));
  } else shell.show(refusedView(lines, line, code, () => showHome()));
}

/** Remove the ended conversation from the page: "Clear now" says so; otherwise back to the start. */
function clearKept(sayCleared = false): void {
  if (!kept || !lines || !line || !shell) return;
  const { by } = kept;
  kept = null;
  setActive(false);
  if (sayCleared) {
    shell.setLanguageSwitch(true);
    shell.show(endedView(lines, line, by, () => showHome()));
  } else showHome();
}
