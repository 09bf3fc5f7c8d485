/**
 * What the loader tells us, in the URL hash (#line=…&lang=…): the hash never reaches the
 * server, its logs or a proxy.
 */
export interface WidgetParams {
  line: string;
  lang: string | null;
}

export function readParams(hash: string = window.location.hash): WidgetParams {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { line: params.get('line') ?? '', lang: params.get('lang') || null };
}
