import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core';

/** One HTTP request as Chromium's network stack saw it. */
export interface RequestRecord {
  url: string;
  /** Path and query, for the report. */
  path: string;
  /** Epoch ms when it was sent (requestWillBeSent.wallTime). */
  sentAt: number;
  /** True when it was sent after the bench clicked the launcher (order of events). */
  afterClick: boolean;
  status: number | null;
  encoding: string;
  /** Response headers as received (responseReceived.response.encodedDataLength). */
  headerBytes: number;
  /** Everything received for it: headers and body as sent (loadingFinished.encodedDataLength). */
  wireBytes: number | null;
  /** The body after decoding (sum of dataReceived.dataLength). */
  decodedBytes: number;
  failed: string | null;
}

/** Payload of WebSocket frames received; CDP does not report frame headers. */
export interface SocketFrame {
  url: string;
  at: number;
  bytes: number;
}

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return u.protocol.startsWith('http') ? `${u.pathname}${u.search}` : url.slice(0, 40);
  } catch {
    return url;
  }
};

/**
 * Counts bytes with the Chrome DevTools Protocol: the page's own session, and one per
 * out-of-process frame if the widget's iframe gets one (same-origin frames share the
 * page's). Playwright's own request events, which span every frame, are kept to check
 * that no request escaped the count.
 */
export class NetworkLog {
  readonly requests = new Map<string, RequestRecord>();
  readonly frames: SocketFrame[] = [];
  readonly sessions: CDPSession[] = [];
  /** Frames that turned out to be out of process (and got a session of their own). */
  outOfProcessFrames = 0;
  private clicked = false;
  private readonly seenByPlaywright: string[] = [];
  private readonly tried = new Set<Frame>();
  private onSession: ((session: CDPSession) => Promise<void>) | null = null;

  private constructor(private readonly context: BrowserContext) {}

  /** `onSession` runs for each session before it is used, e.g. to throttle it. */
  static async attach(context: BrowserContext, page: Page, onSession?: (session: CDPSession) => Promise<void>): Promise<NetworkLog> {
    const log = new NetworkLog(context);
    log.onSession = onSession ?? null;
    context.on('requestfinished', (request) => log.seenByPlaywright.push(request.url()));
    await log.listen(await context.newCDPSession(page), 'page');
    const tryFrame = (frame: Frame) => void log.tryFrame(frame);
    page.on('frameattached', tryFrame);
    page.on('framenavigated', tryFrame);
    return log;
  }

  /** From now on, requests count as sent after the click. */
  markClick(): void {
    this.clicked = true;
  }

  /** Requests Playwright saw finish that no CDP session counted (none, if all is well). */
  uncounted(): string[] {
    const counted = new Map<string, number>();
    for (const r of this.requests.values()) counted.set(r.url, (counted.get(r.url) ?? 0) + 1);
    const missing: string[] = [];
    for (const url of this.seenByPlaywright) {
      if (url.startsWith('data:') || url.startsWith('blob:')) continue;
      const n = counted.get(url) ?? 0;
      if (n > 0) counted.set(url, n - 1);
      else missing.push(url);
    }
    return missing;
  }

  /** Waits until no counted request is in flight, or `timeoutMs` passed. */
  async settle(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && [...this.requests.values()].some((r) => r.wireBytes === null && r.failed === null)) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async tryFrame(frame: Frame): Promise<void> {
    if (frame === frame.page().mainFrame() || this.tried.has(frame) || frame.url() === 'about:blank' || frame.url() === '') return;
    this.tried.add(frame);
    let session: CDPSession;
    try {
      session = await this.context.newCDPSession(frame);
    } catch {
      return; // part of the page's process: its requests reach the page's session
    }
    this.outOfProcessFrames += 1;
    await this.listen(session, `frame${this.outOfProcessFrames}`);
  }

  private async listen(session: CDPSession, tag: string): Promise<void> {
    this.sessions.push(session);
    const key = (id: string) => `${tag}:${id}`;
    /** wallTime − timestamp: turns the monotonic timestamps of socket frames into epoch ms. */
    let wallOffset = 0;
    const sockets = new Map<string, string>();
    session.on('Network.requestWillBeSent', (e) => {
      wallOffset = e.wallTime - e.timestamp;
      const previous = this.requests.get(key(e.requestId));
      if (previous && e.redirectResponse) {
        // A redirect reuses the id: keep the hop as a row of its own.
        previous.wireBytes = e.redirectResponse.encodedDataLength;
        previous.status = e.redirectResponse.status;
        this.requests.set(key(`${e.requestId}:${this.requests.size}`), previous);
      }
      this.requests.set(key(e.requestId), {
        url: e.request.url,
        path: pathOf(e.request.url),
        sentAt: e.wallTime * 1000,
        afterClick: this.clicked,
        status: null,
        encoding: '',
        headerBytes: 0,
        wireBytes: null,
        decodedBytes: 0,
        failed: null,
      });
    });
    session.on('Network.responseReceived', (e) => {
      const r = this.requests.get(key(e.requestId));
      if (!r) return;
      r.status = e.response.status;
      r.headerBytes = e.response.encodedDataLength;
      const header = Object.entries(e.response.headers).find(([name]) => name.toLowerCase() === 'content-encoding');
      r.encoding = header?.[1] ?? '';
    });
    session.on('Network.dataReceived', (e) => {
      const r = this.requests.get(key(e.requestId));
      if (r) r.decodedBytes += e.dataLength;
    });
    session.on('Network.loadingFinished', (e) => {
      const r = this.requests.get(key(e.requestId));
      if (r) r.wireBytes = e.encodedDataLength;
    });
    session.on('Network.loadingFailed', (e) => {
      const r = this.requests.get(key(e.requestId));
      if (r) r.failed = e.errorText;
    });
    session.on('Network.webSocketCreated', (e) => sockets.set(e.requestId, e.url));
    session.on('Network.webSocketFrameReceived', (e) => {
      const bytes = e.response.opcode === 1 ? Buffer.byteLength(e.response.payloadData, 'utf8') : Buffer.from(e.response.payloadData, 'base64').length;
      this.frames.push({ url: sockets.get(e.requestId) ?? '', at: (e.timestamp + wallOffset) * 1000, bytes });
    });
    if (this.onSession) await this.onSession(session);
    await session.send('Network.enable');
    // Nothing from a cache, even if a response ever allowed it: every run downloads.
    await session.send('Network.setCacheDisabled', { cacheDisabled: true });
  }
}
