import { PATHS, type LinesResponse, type PublicLine } from '../../protocol/http.js';

/** Loads the public line list: no credentials, no cache, no referrer. */
export async function fetchLines(): Promise<LinesResponse> {
  const response = await fetch(PATHS.lines, {
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`lines: HTTP ${response.status}`);
  const body: unknown = await response.json();
  if (!isLinesResponse(body)) throw new Error('lines: unexpected shape');
  return body;
}

/** A shallow check: the server is ours, but a half-deployed one must not crash the widget. */
function isLinesResponse(value: unknown): value is LinesResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof LinesResponse, unknown>>;
  return (
    Array.isArray(v.lines) &&
    v.lines.every((l: unknown) => typeof l === 'object' && l !== null && typeof (l as PublicLine).id === 'string') &&
    typeof v.emergency === 'string' &&
    typeof v.exitUrl === 'string'
  );
}
