import { personalizedEtag } from './personalizedEtag.js';

/**
 * Cache headers aimed at shared caches only (CDNs read them instead of `Cache-Control`; Akamai's
 * `Edge-Control` too, for a second CDN in front of this one). Removed rather than rewritten: no
 * value in them could say "private" to every CDN that reads them.
 */
const SHARED_CACHE_HEADERS = ['cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control', 'edge-control'];

/**
 * Headers that describe the origin's bytes, not the rewritten page: digests that would no longer
 * match, a length, a date validator that cannot tell which memberships a copy was made for, and
 * `Accept-Ranges`, as a range would be counted in the origin's bytes (206 answers pass through).
 */
const ORIGIN_BYTES_HEADERS = ['content-length', 'content-digest', 'repr-digest', 'digest', 'content-md5', 'last-modified', 'accept-ranges'];

/**
 * Headers for a page carrying `data-seglet-` attributes, whose body depends on the visitor:
 * `Cache-Control` gets `private` (`public`, `s-maxage` and a field-limited `private="..."` go;
 * `no-store`, `no-cache`, `max-age` and the rest stay), `CDN-Cache-Control`,
 * `Cloudflare-CDN-Cache-Control`, `Surrogate-Control` and `Edge-Control` are removed, `Vary` gets `Cookie`, the
 * `ETag` becomes the edge's (weak and marked with `state`, `"e"` -> `W/"e~seglet-s<state>"`, see {@link personalizedEtag};
 * dropped when it is not one entity-tag), and `Last-Modified`, `Content-Length`, `Content-Digest`,
 * `Repr-Digest`, `Digest`, `Content-MD5` and `Accept-Ranges` are removed.
 */
export function personalizedHeaders(original: Headers, state: string | null): Headers {
  const headers = new Headers(original);
  headers.set('cache-control', privateCacheControl(headers.get('cache-control')));
  for (const name of SHARED_CACHE_HEADERS) headers.delete(name);
  const vary = headers.get('vary');
  if (vary === null || vary.trim() === '') headers.set('vary', 'Cookie');
  else if (!splitList(vary).some((v) => v === '*' || v.toLowerCase() === 'cookie')) headers.set('vary', `${vary}, Cookie`);
  const etag = headers.get('etag');
  const marked = etag === null ? null : personalizedEtag(etag, state);
  if (marked === null) headers.delete('etag');
  else headers.set('etag', marked);
  for (const name of ORIGIN_BYTES_HEADERS) headers.delete(name);
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
