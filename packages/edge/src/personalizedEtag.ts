/**
 * What the edge appends inside the quotes of a personalised page's entity-tag: `~seglet-`, then `s`
 * or `w` (the origin's tag was strong or weak) and the page's memberships state (see
 * `membershipState`). `~`, `-` and the hex digits are `etagc` (RFC 9110 8.8.3), so the result is
 * still a valid tag; the origin never issued it, and the edge recognises it when a browser
 * revalidates its copy. Tags from before the state was added end in a bare `~seglet`.
 */
export const ETAG_MARKER = '~seglet';

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;
const TAG_IN_LIST = /(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;
const MARKED = /^(.*)~seglet(?:-([sw])([0-9a-f]+))?$/s;

/**
 * The ETag of a personalised page: weak (the bytes depend on the visitor) and marked as the edge's
 * with the memberships it was made for (`"e"` gives `W/"e~seglet-s<state>"`, `W/"e"` gives
 * `W/"e~seglet-w<state>"`; a marked tag stays as it is). Null when the value is not one
 * entity-tag: it could not be marked, and an unmarked validator would let the origin answer 304 to
 * a copy made for other memberships, so the page goes without one.
 */
export function personalizedEtag(etag: string, state: string | null): string | null {
  const tag = ENTITY_TAG.exec(etag.trim());
  const opaque = tag?.[2];
  if (opaque === undefined) return null;
  if (MARKED.test(opaque)) return `W/"${opaque}"`;
  // Without a state the bare marker: every revalidation of it is answered in full.
  return `W/"${opaque}${ETAG_MARKER}${state === null ? '' : `-${tag?.[1] ? 'w' : 's'}${state}`}"`;
}

/**
 * Whether an `If-None-Match` or `If-Range` value names a tag made by {@link personalizedEtag}, that
 * is, the browser is revalidating a personalised copy. Tags are found by their quotes, as a comma
 * may sit inside one.
 */
export function namesPersonalizedEtag(value: string | null): boolean {
  if (value === null) return false;
  for (const match of value.matchAll(TAG_IN_LIST)) if (MARKED.test(match[1] ?? '')) return true;
  return false;
}

/** An `If-None-Match` value as the origin may see it, and the origin's tags put back into it. */
export interface OriginTags {
  /** The list for the origin; null when nothing in it is left to send. */
  value: string | null;
  /** The origin's own tags recovered from copies made for `state`, as the origin issued them. */
  restored: string[];
}

/**
 * The `If-None-Match` list for the origin: a marked tag made for the current memberships `state`
 * becomes the origin's own again (the copy is still right if the origin's page is unchanged); a
 * marked tag made for other memberships, or before states were marked, is left out, as a 304 to it
 * would keep a copy made for others. Unmarked tags stay as they came.
 */
export function originTags(value: string, state: string | null): OriginTags {
  const kept: string[] = [];
  const restored: string[] = [];
  for (const match of value.matchAll(TAG_IN_LIST)) {
    const marked = MARKED.exec(match[1] ?? '');
    if (!marked) kept.push(match[0]);
    else if (state !== null && marked[3] === state) {
      const tag = `${marked[2] === 'w' ? 'W/' : ''}"${marked[1] ?? ''}"`;
      kept.push(tag);
      restored.push(tag);
    }
  }
  return { value: kept.length ? kept.join(', ') : null, restored };
}

/**
 * Whether two entity-tags match by the weak comparison (RFC 9110 8.8.3.2): the same opaque-tag,
 * whether either is weak (`W/`) or not. Used for the origin's 304 to a tag {@link originTags}
 * restored: `W/"e"` and `"e"` name the same copy.
 */
export function sameOpaqueTag(a: string, b: string): boolean {
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return opaque(a) === opaque(b);
}
