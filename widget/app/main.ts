import '../shared/zod-setup.js';
import type { LinesResponse, PublicLine } from '../../protocol/http.js';
import { PATHS, VERSION_PARAM } from '../../protocol/http.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { DEFAULT_EXIT_URL, safeExitUrl, type FrameToHost } from '../shared/frame-messages.js';
import { ChatFlow, type ChatOutcome } from './chat-flow.js';
import type { ChatRequest } from './chat-session.js';
import { pickUiLanguage, setUiLanguage, t } from './i18n.js';
import { fetchLines } from './lines.js';
import { readParams } from './params.js';
import { installQuickExit } from './quick-exit.js';
import { closedView } from './views/closed.js';
import { endedView } from './views/ended.js';
import { noticeView } from './views/notice.js';
import { createShell } from './views/shell.js';
import { startView, type StartChoice } from './views/start.js';
import { unavailableView } from './views/unavailable.js';
import { untrustedView } from './views/untrusted.js';

/**
 * The chat app inside our iframe. Everything it knows — lines, keys, the resume token —
 * lives in this page's memory; it writes nothing to any storage on the device.
 */
const framed = window.parent !== window;
const params = readParams();
let exitUrl = DEFAULT_EXIT_URL;
let lines: LinesResponse | null = null;
let line: PublicLine | null = null;
let flow: ChatFlow | null = null;

const postToHost = (message: FrameToHost) => {
  if (framed) window.parent.postMessage(message, '*');
};

setUiLanguage(pickUiLanguage(params.lang));
const quickExit = installQuickExit({
  framed,
  exitUrl: () => exitUrl,
  wipe: () => {
    const current = flow;
    flow = null;
    try {
      current?.quickExit();
    } finally {
      document.body.replaceChildren();
    }
  },
});
const shell = createShell({ framed, onQuickExit: quickExit, onMinimise: () => postToHost({ type: 'quietline:close' }) });
document.body.replaceChildren(shell.root);
void load();

async function load(): Promise<void> {
  shell.show(noticeView(t('app.loadingTitle'), t('app.loading')), false);
  try {
    lines = await fetchLines();
  } catch {
    shell.show(noticeView(t('load.failedTitle'), t('load.failed'), { label: t('load.retry'), run: () => void load() }));
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
  showHome(true);
}

/** `first`: right after loading, when focus should stay where the visitor left it. */
function showHome(first = false): void {
  if (!lines || !line) return;
  if (line.open) showStart({ language: params.lang, topic: null }, false, first);
  else shell.show(closedView(lines, line), first ? false : null);
}

function showStart(choice: StartChoice, keepFocusOnLanguage: boolean, first = false): void {
  if (!line) return;
  const offered = choice.language && line.languages.includes(choice.language) ? choice.language : line.languages[0] ?? null;
  // The interface follows the chosen chat language when we have it translated.
  setUiLanguage(pickUiLanguage(offered, params.lang));
  shell.relabel();
  const view = startView(line, { ...choice, language: offered }, {
    onLanguage: (next) => showStart(next, true),
    onStart: (request) => void startChat(request),
  });
  const focus = keepFocusOnLanguage ? view.querySelector<HTMLElement>('input[name="language"]:checked') : null;
  shell.show(view, first ? false : focus);
}

async function startChat(request: ChatRequest): Promise<void> {
  if (!line) return;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${window.location.host}${PATHS.visitorSocket}?${VERSION_PARAM}=${PROTOCOL_VERSION}`;
  const current = new ChatFlow(shell, line, (outcome) => finished(current, outcome, request));
  flow = current;
  await current.start(url, request, (lines?.reconnectGraceSeconds ?? 120) * 1000);
}

/** `request` is what the visitor chose, so "Try again" can ask for the same chat. */
function finished(from: ChatFlow, outcome: ChatOutcome, request: ChatRequest): void {
  if (flow !== from || !lines || !line) return;
  flow = null;
  if (outcome.kind === 'ended') {
    shell.show(endedView(lines, line, outcome.by, () => showHome()));
  } else if (outcome.kind === 'untrusted') {
    shell.show(untrustedView(lines, line, () => showHome()));
  } else if (outcome.code === 'ERR_LINE_CLOSED') {
    shell.show(closedView(lines, line));
  } else if (outcome.code === 'ERR_UNAVAILABLE') {
    shell.show(unavailableView(lines, line, () => void startChat(request)));
  } else if (outcome.code === 'ERR_CLIENT_TOO_OLD') {
    shell.show(noticeView(t('tooOld.title'), t('errors.ERR_CLIENT_TOO_OLD'), { label: t('tooOld.reload'), run: () => window.location.reload() }));
  } else {
    shell.show(noticeView(t('failed.title'), t(`errors.${outcome.code}`), { label: t('failed.back'), run: () => showHome() }));
  }
}
