import { namesPersonalizedEtag } from './personalizedEtag.js';

/** Validators a personalised copy cannot be checked with at the origin. */
const REVALIDATION_HEADERS = ['if-none-match', 'if-modified-since'];
/** A range is of a whole page: one made conditional on a personalised copy asks for all of it. */
const RANGE_HEADERS = ['if-range', 'range'];

/**
 * The request to send to the origin: `request` itself, unless it is a GET revalidating a
 * personalised copy (its `If-None-Match` names a tag marked by the edge). The origin only knows its
 * own page, so it would answer 304 whatever memberships the copy was made for; such a request goes
 * without `If-None-Match` and `If-Modified-Since` (and, when `If-Range` names a marked tag, without
 * `If-Range` and `Range`, as a failed `If-Range` would give), so the origin answers 200 and the page
 * is personalised for the current cookie. Every other request, assets included, keeps its
 * validators and the origin's 304.
 */
export function originRequest(request: Request): Request {
  if (request.method !== 'GET') return request;
  const headers = request.headers;
  const revalidates = namesPersonalizedEtag(headers.get('if-none-match'));
  const ranged = namesPersonalizedEtag(headers.get('if-range'));
  if (!revalidates && !ranged) return request;
  const kept = new Headers(headers);
  if (revalidates) for (const name of REVALIDATION_HEADERS) kept.delete(name);
  if (ranged) for (const name of RANGE_HEADERS) kept.delete(name);
  // Built from the request itself, so its method, URL, redirect mode, signal and `cf` carry over;
  // a GET has no body to copy.
  return new Request(request, { headers: kept });
}
