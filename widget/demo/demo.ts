import { PATHS, type LinesResponse } from '../../protocol/http.js';
import { h } from '../../browser-shared/dom.js';

/**
 * The demo page picks its line and language from ?line=…&lang=… by editing the loader's
 * data attributes; the loader reads them when the chat is opened. Also lists every line as
 * a link, so a tester can switch without typing ids.
 */
const query = new URLSearchParams(window.location.search);
const loader = document.querySelector<HTMLScriptElement>('script[data-line]');
const line = query.get('line');
const lang = query.get('lang');
if (loader && line && /^[A-Za-z0-9_-]{1,64}$/.test(line)) loader.setAttribute('data-line', line);
if (loader && lang && /^[a-z]{2,3}$/.test(lang)) loader.setAttribute('data-lang', lang);

void listLines();

async function listLines(): Promise<void> {
  const list = document.getElementById('demo-lines');
  if (!list) return;
  try {
    const response = await fetch(PATHS.lines, { cache: 'no-store' });
    const body = (await response.json()) as LinesResponse;
    list.replaceChildren(
      ...body.lines.flatMap((l) =>
        l.languages.map((language) =>
          h('li', {}, h('a', { href: `?line=${encodeURIComponent(l.id)}&lang=${encodeURIComponent(language)}` }, `${l.name} (${language})`)),
        ),
      ),
    );
  } catch {
    list.replaceChildren(h('li', {}, 'The list of lines could not be loaded.'));
  }
}
