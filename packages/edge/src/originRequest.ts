import { namesPersonalizedEtag, originTags } from './personalizedEtag.js';

/** A range is of a whole page: one made conditional on a personalised copy asks for all of it. */
const RANGE_HEADERS = ['if-range', 'range'];

/** The request for the origin, and the origin's own tags it carries in place of the edge's. */
export interface OriginRequest {
  request: Request;
  restored: string[];
}

/**
 * The request to send to the origin: `request` itself, unless it is a GET revalidating a
 * personalised copy (its `If-None-Match` names a tag marked by the edge). The origin only knows its
 * own page, so it would answer 304 whatever memberships the copy was made for. A marked tag made
 * for the current memberships `state` goes as the origin's own tag (a 304 then keeps a copy that is
 * still right); the others are left out, and with them `If-Modified-Since` once no tag is left, so
 * the origin answers 200 and the page is personalised for the current cookie. When `If-Range` names
 * a marked tag, `If-Range` and `Range` go too, as a failed `If-Range` would give. Every other
 * request, assets included, keeps its validators and the origin's 304.
 */
export function originRequest(request: Request, state: string | null): OriginRequest {
  if (request.method !== 'GET') return { request, restored: [] };
  const headers = request.headers;
  const match = headers.get('if-none-match');
  const revalidates = namesPersonalizedEtag(match);
  const ranged = namesPersonalizedEtag(headers.get('if-range'));
  if (!revalidates && !ranged) return { request, restored: [] };
  const kept = new Headers(headers);
  let restored: string[] = [];
  if (revalidates && match !== null) {
    const tags = originTags(match, state);
    restored = tags.restored;
    if (tags.value !== null) kept.set('if-none-match', tags.value);
    else for (const name of ['if-none-match', 'if-modified-since']) kept.delete(name);
  }
  if (ranged) for (const name of RANGE_HEADERS) kept.delete(name);
  // Built from the request itself, so its method, URL, redirect mode, signal and `cf` carry over;
  // a GET has no body to copy.
  return { request: new Request(request, { headers: kept }), restored };
}
