import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { certify, newSigningKeyPair, type OperatorIdentityFile } from '../../identity/certificates.js';
import { loadLinesConfig, type LinesConfig } from '../../server/config/lines-config.js';
import { loaderStrings } from '../../widget/loader-strings.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/test-server.js';

/** Debian's Chromium, never a downloaded browser; quiet flags so nothing phones home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The default Belgian lines, with English added to 1712 so the tests can find controls by
 * their English names ("Start chat", "Send", "End chat", "Quick exit").
 */
export async function linesWithEnglish(): Promise<LinesConfig> {
  const lines = await loadLinesConfig(fileURLToPath(new URL('../../config/lines.json', import.meta.url)));
  return { ...lines, lines: lines.lines.map((l) => (l.id === '1712' ? { ...l, languages: [...l.languages, 'en'] } : l)) };
}

export const OPERATOR_1712 = {
  id: 'op-1712',
  name: 'Sam',
  lines: ['1712'],
  languages: ['nl', 'en'],
  topics: ['violence', 'abuse', 'child-abuse'],
};

/** Answer the exit site locally: tests have no internet, and only the URL matters. */
export const EXIT_HOST = 'https://www.google.com/**';
export async function stubExitSite(context: BrowserContext): Promise<void> {
  await context.route(EXIT_HOST, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
}

/** The demo host page with the launcher clicked (it speaks `lang`): returns the chat iframe. */
export async function openWidget(page: Page, server: TestServer, line = '1712', lang = 'en'): Promise<FrameLocator> {
  await page.goto(`${server.url}/demo/?line=${line}&lang=${lang}`);
  await page.getByRole('button', { name: loaderStrings(lang).launcher }).click();
  return page.frameLocator('#quietline-frame');
}

/** The widget's frame itself (not a locator), for what needs a document: axe, evaluate(). */
export async function widgetFrame(page: Page): Promise<Frame> {
  const frame = await (await page.locator('#quietline-frame').elementHandle())?.contentFrame();
  if (!frame) throw new Error('the widget frame is not there');
  return frame;
}

/** Pick a topic and press Start chat; resolves once the visitor is waiting in the queue. */
export async function startChat(widget: FrameLocator, topic = 'Violence'): Promise<void> {
  await widget.getByRole('radio', { name: topic }).check();
  await widget.getByRole('button', { name: 'Start chat' }).click();
  await widget.getByText(/You are number \d+ in the queue/).waitFor();
}

/** Sign in to the console and become available. */
export async function signInOperator(page: Page, server: TestServer, id: string): Promise<void> {
  await page.goto(`${server.url}/console/`);
  await page.getByRole('textbox', { name: 'Operator ID' }).fill(id);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Enabled once the socket said welcome; a quick re-sign-in may keep the earlier status.
  const available = page.getByRole('button', { name: 'Available' });
  await page.locator('button[aria-pressed]:enabled', { hasText: 'Available' }).waitFor();
  if ((await available.getAttribute('aria-pressed')) !== 'true') await available.click();
  await page.locator('button[aria-pressed="true"]', { hasText: 'Available' }).waitFor();
}

// ---- operator identity (identity/certificates.ts) --------------------------------------

/**
 * Builds the browser side into `<dir>/public` with `orgPublicKey` baked into the widget, as
 * a real deployment does (dist/public is a demo build, which trusts no key). Returns the
 * folder to serve as `publicDir`; throws if the build did not take the key.
 */
export function buildWithOrgKey(dir: string, orgPublicKey: string): string {
  const outDir = join(dir, 'public');
  const publicKeyPath = join(dir, 'org-public-key.txt');
  const operatorsPath = join(dir, 'operators.json');
  writeFileSync(publicKeyPath, `${orgPublicKey}\n`);
  writeFileSync(operatorsPath, '{"operators":[]}\n');
  const result = spawnSync('npx', ['tsx', 'scripts/build-browser.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    encoding: 'utf8',
    env: {
      ...process.env,
      QUIETLINE_BUILD_OUT: outDir,
      QUIETLINE_ORG_PUBLIC_KEY: publicKeyPath,
      QUIETLINE_DEMO: '0',
      QUIETLINE_OPERATORS: operatorsPath,
    },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !output.includes('with an organisation key')) {
    throw new Error(`the browser build with an organisation key failed (status ${result.status}):\n${output}`);
  }
  return outDir;
}

/**
 * What `npm run operators -- certify` writes: a fresh identity key pair for `operator`,
 * certified by `orgSecretKey`, saved as JSON in `dir`. Call readyIdentity() first.
 */
export function writeIdentityFile(
  dir: string,
  fileName: string,
  orgSecretKey: string,
  operator: { id: string; name: string },
  expires = Date.now() + 30 * 86_400_000,
): { path: string; identity: OperatorIdentityFile } {
  const pair = newSigningKeyPair();
  const certificate = certify(orgSecretKey, { operator: operator.id, name: operator.name, key: pair.publicKey, expires });
  const identity: OperatorIdentityFile = { type: 'quietline-operator-identity', operator: operator.id, secretKey: pair.secretKey, certificate };
  const path = join(dir, fileName);
  writeFileSync(path, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  return { path, identity };
}

/** Load an identity file in the signed-in console; resolves once the top bar shows it. */
export async function loadIdentityKey(page: Page, path: string): Promise<void> {
  await page.getByLabel('Load identity key').setInputFiles(path);
  await page.locator('.top-bar').getByText(/^Identity: /).waitFor();
}

/**
 * A helpline's own page on another origin, embedding the widget as in production: the
 * iframe is then cross-origin to the page that hosts it.
 */
export async function helplinePage(widgetOrigin: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><title>A helpline</title><main><h1>A helpline</h1>
      <script src="${widgetOrigin()}/widget.js" data-line="1712" data-lang="en" async></script></main></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

/** Quietline allowing one helpline page on another origin, which embeds its widget. */
export interface CrossOriginSetup {
  quietline: TestServer;
  host: { origin: string; server: Server };
  close(): Promise<void>;
}

export async function crossOriginSetup(): Promise<CrossOriginSetup> {
  let quietline: TestServer | null = null;
  // The helpline page's origin comes first: Quietline must allow it to frame the widget.
  const host = await helplinePage(() => quietline!.url);
  quietline = await startTestServer({
    operators: [OPERATOR_1712],
    config: { lines: await linesWithEnglish(), allowedOrigins: [host.origin] },
  });
  const started = quietline;
  return {
    quietline: started,
    host,
    async close() {
      host.server.close();
      await started.close();
    },
  };
}
