import { decideWith } from './decide.js';
import { isUtf8Label } from './isUtf8Label.js';
import { membershipState } from './membershipState.js';
import { originRequest } from './originRequest.js';
import { namesPersonalizedEtag, sameOpaqueTag } from './personalizedEtag.js';
import { personalizedHeaders } from './personalizedHeaders.js';
import { prepareRules, type Prepared } from './prepareRules.js';
import { prescanCharset } from './prescanCharset.js';
import { readBody } from './readBody.js';
import { rewriteHtml } from './rewriteHtml.js';
import type { Decision, PersonalizeOptions } from './types.js';

/**
 * Fetches the page from `origin` (default the global `fetch`, called with no `this` and the
 * unchanged request, except for a GET revalidating a personalised copy, its `If-None-Match`
 * naming a `~seglet` tag: a copy made for the visitor's current memberships is asked for with the
 * origin's own tag, and the origin's 304 comes back with the copy's headers; others are left out,
 * so the origin cannot answer 304 for a copy made for other memberships) and, for a
 * `text/html` answer to a GET (any status but 206: a byte range cannot be rewritten), applies the
 * declarative swaps for this visitor with `HTMLRewriter` (workerd): `data-seglet-show|hide` set
 * `hidden`, and the first `<template data-seglet-when data-seglet-into>` whose segment holds fills
 * its target, keeping the original children in a `<template data-seglet-original>`. A page with
 * any `data-seglet-` attribute is answered `Cache-Control: private`, `Vary: Cookie`, the edge's own
 * weak ETag (`W/"…~seglet-s<state>"`, the state a digest of the memberships) and none of the headers that describe the origin's bytes
 * (`Last-Modified`, `Content-Length`, digests, `Accept-Ranges`); every other response (other
 * methods and types, pages without the attributes, pages in another charset by `Content-Type` or
 * else by a `<meta>` in the first 1,024 bytes, bodies that are not valid UTF-8 such as a
 * pre-compressed `encodeBody: 'manual'` one, bodies over 5 MB once decoded, an invalid rule set)
 * passes through byte for byte with its headers and body encoding. An origin that throws or cannot
 * be reached gives a 502 with a generic body. Never throws; problems go to `onError`.
 *
 * Segments are for personalisation, never for authorization: the cookie is user-controlled.
 *
 * @example
 * export default { fetch: (request) => personalize(request, { rules }) };
 */
export async function personalize(request: Request, options: PersonalizeOptions): Promise<Response> {
  const prepared = prepareRules(options);
  const onError = options.onError;
  let decision: Decision | undefined;
  const decided = (): Decision => (decision ??= decideWith(prepared, request, options));
  // Revalidating a personalised copy: the current memberships say whether the origin may answer 304.
  const state = prepared.valid && request.method === 'GET' && namesPersonalizedEtag(request.headers.get('if-none-match')) ? await stateOf(prepared, decided().members) : null;
  const sent = originRequest(request, state);
  let response: Response;
  try {
    const origin = options.origin;
    response = origin === undefined ? await fetch(sent.request) : await origin(sent.request);
    if (!isResponse(response)) throw new TypeError(`origin returned ${typeof response} instead of a Response`);
  } catch (cause) {
    prepared.reporter.always(onError, 'origin_failed', `seglet: the origin failed (${describe(cause)}); answered 502`, '/origin', cause);
    return badGateway();
  }
  if (response.status === 304 && state !== null && sent.restored.length) return notModified(response, sent.restored, state);
  // A 206 body is a byte range of the page: rewriting it would break its Content-Range.
  if (!prepared.valid || request.method !== 'GET' || response.status === 206 || response.body === null) return response;
  const charset = htmlCharset(response.headers.get('content-type'));
  if (charset === undefined) return response;
  if (charset !== null && !isUtf8Label(charset)) {
    reportCharset(charset, prepared, options);
    return response;
  }
  return personalizeHtml(decided, response, charset === null, prepared, options);
}

/** `charsetUnstated`: the page's own `<meta>` may name its charset, as browsers then look for one. */
async function personalizeHtml(decided: () => Decision, response: Response, charsetUnstated: boolean, prepared: Prepared, options: PersonalizeOptions): Promise<Response> {
  let read;
  try {
    read = await readBody(response);
  } catch (cause) {
    prepared.reporter.always(options.onError, 'origin_failed', `seglet: the origin's body failed (${describe(cause)}); answered 502`, '/origin', cause);
    return badGateway();
  }
  if ('passThrough' in read) return read.passThrough;
  // The response itself as init keeps its body encoding: a pre-compressed (`encodeBody: 'manual'`)
  // body rebuilt from a plain init would be compressed a second time.
  const untouched = (): Response => new Response(read.bytes, response);
  // A UTF-8 byte order mark outranks any declaration; otherwise a browser reads the <meta>.
  const declared = charsetUnstated && !startsWithBom(read.bytes) ? prescanCharset(read.bytes) : null;
  if (declared !== null && !isUtf8Label(declared)) {
    reportCharset(declared, prepared, options);
    return untouched();
  }
  const text = strictUtf8(read.bytes);
  // Bytes that are not UTF-8 (still compressed, or mislabelled) would come out corrupt.
  if (text === null) return untouched();
  // A page that never mentions data-seglet- cannot change: skip the engine and the parser.
  if (!/data-seglet-/i.test(text)) return untouched();
  try {
    const { members } = decided();
    const html = await rewriteHtml(read.bytes, text, new Set(members), prepared, options.onError);
    if (html === null) return untouched();
    return new Response(html, { status: response.status, statusText: response.statusText, headers: personalizedHeaders(response.headers, await stateOf(prepared, members)) });
  } catch (cause) {
    prepared.reporter.always(options.onError, 'swap_failed', `seglet: the page could not be rewritten (${describe(cause)}); passed through`, '', cause);
    return untouched();
  }
}

/** The memberships state for the ETag; null (a bare marker, always revalidated in full) without Web Crypto. */
async function stateOf(prepared: Prepared, members: readonly string[]): Promise<string | null> {
  try {
    return await membershipState(prepared, members);
  } catch {
    return null;
  }
}

/**
 * The origin's 304 to a tag restored from a copy made for the current memberships: the copy stays
 * right, so it gets the personalised page's headers, its ETag marked again. A 304 naming another
 * tag (one the browser sent unmarked) passes through.
 */
function notModified(response: Response, restored: readonly string[], state: string): Response {
  const etag = response.headers.get('etag');
  if (etag !== null && !restored.some((tag) => sameOpaqueTag(tag, etag))) return response;
  return new Response(null, { status: 304, statusText: response.statusText, headers: personalizedHeaders(response.headers, state) });
}

/** `bytes` as text, or null when they are not valid UTF-8. */
function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * For a `text/html` Content-Type, its charset label (null: none stated, so UTF-8 unless the page's
 * `<meta>` says otherwise); undefined for any other type.
 */
function htmlCharset(type: string | null): string | null | undefined {
  if (type === null) return undefined;
  const [media = '', ...params] = type.split(';');
  if (media.trim().toLowerCase() !== 'text/html') return undefined;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset') return value.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return null;
}

function reportCharset(charset: string, prepared: Prepared, options: PersonalizeOptions): void {
  prepared.reporter.once(options.onError, 'swap_failed', `seglet: pages in charset ${JSON.stringify(charset.slice(0, 40))} are not personalised at the edge (UTF-8 only); passed through`, '');
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

// Fatal: a replacement character would be written back into the page as if it were text.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function isResponse(value: unknown): value is Response {
  return typeof value === 'object' && value !== null && typeof (value as Response).status === 'number' && typeof (value as Response).headers === 'object';
}

function badGateway(): Response {
  return new Response('Bad Gateway', { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

function describe(cause: unknown): string {
  return (cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)).slice(0, 200);
}
