/**
 * Cache headers aimed at shared caches only (CDNs read them instead of `Cache-Control`). Removed
 * rather than rewritten: no value in them could say "private" to every CDN that reads them.
 */
const SHARED_CACHE_HEADERS = ['cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control'];

/**
 * Headers for a page carrying `data-seglet-` attributes, whose body depends on the visitor:
 * `Cache-Control` gets `private` (`public`, `s-maxage` and a field-limited `private="..."` go;
 * `no-store`, `no-cache`, `max-age` and the rest stay), `CDN-Cache-Control`,
 * `Cloudflare-CDN-Cache-Control` and `Surrogate-Control` are removed, `Vary` gets `Cookie`, a
 * strong `ETag` is weakened (the bytes changed, the meaning did not), and `Content-Length` is dropped.
 */
export function personalizedHeaders(original: Headers): Headers {
  const headers = new Headers(original);
  headers.set('cache-control', privateCacheControl(headers.get('cache-control')));
  for (const name of SHARED_CACHE_HEADERS) headers.delete(name);
  const vary = headers.get('vary');
  if (vary === null || vary.trim() === '') headers.set('vary', 'Cookie');
  else if (!splitList(vary).some((v) => v === '*' || v.toLowerCase() === 'cookie')) headers.set('vary', `${vary}, Cookie`);
  const etag = headers.get('etag');
  if (etag !== null && etag.startsWith('"')) headers.set('etag', `W/${etag}`);
  headers.delete('content-length');
  return headers;
}

function privateCacheControl(value: string | null): string {
  const kept: string[] = [];
  for (const directive of splitList(value ?? '')) {
    const name = (directive.split('=', 1)[0] ?? '').trim().toLowerCase();
    if (name === 'public' || name === 's-maxage' || name === 'private' || name === '') continue;
    kept.push(directive);
  }
  return ['private', ...kept].join(', ');
}

/** Splits a comma list, respecting quoted strings (`no-cache="a, b"` is one directive). */
function splitList(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted) {
      current += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === ',' && !quoted) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}
