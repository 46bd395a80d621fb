import { readCookie } from '@seglet/core';

/** The members cookie written by the browser with `cookie: true`. */
export const MEMBERS_COOKIE = 'seglet_m';
/** At most this many characters of the decoded cookie are read. */
export const MEMBERS_COOKIE_MAX = 4096;

/**
 * Segment ids listed in the first `seglet_m` cookie: quotes stripped, percent-decoded, capped at
 * 4,096 characters, split on commas and trimmed; ids the rules do not define (including every
 * invalid id) are ignored. The cookie is user-controlled: never use it for authorization.
 */
export function readMembersCookie(header: string | null, known: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const raw = readCookie(header, MEMBERS_COOKIE);
  if (raw === null) return out;
  for (const part of raw.slice(0, MEMBERS_COOKIE_MAX).split(',')) {
    const id = part.trim();
    if (known.has(id)) out.add(id);
  }
  return out;
}
