/**
 * What the edge appends inside the quotes of a personalised page's entity-tag. `~` is an `etagc`
 * (RFC 9110 8.8.3), so the result is still a valid tag; the origin never issued it, and the edge
 * recognises it when a browser revalidates its copy.
 */
export const ETAG_MARKER = '~seglet';

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;
const TAG_IN_LIST = /(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;

/**
 * The ETag of a personalised page: weak (the bytes depend on the visitor) and marked as the edge's
 * (`"e"` and `W/"e"` give `W/"e~seglet"`; a marked tag stays as it is). Null when the value is not
 * one entity-tag: it could not be marked, and an unmarked validator would let the origin answer
 * 304 to a copy made for other memberships, so the page goes without one.
 */
export function personalizedEtag(etag: string): string | null {
  const opaque = ENTITY_TAG.exec(etag.trim())?.[1];
  if (opaque === undefined) return null;
  return `W/"${opaque.endsWith(ETAG_MARKER) ? opaque : opaque + ETAG_MARKER}"`;
}

/**
 * Whether an `If-None-Match` or `If-Range` value names a tag made by {@link personalizedEtag}, that
 * is, the browser is revalidating a personalised copy. Tags are found by their quotes, as a comma
 * may sit inside one.
 */
export function namesPersonalizedEtag(value: string | null): boolean {
  if (value === null) return false;
  for (const match of value.matchAll(TAG_IN_LIST)) if (match[1]?.endsWith(ETAG_MARKER)) return true;
  return false;
}
