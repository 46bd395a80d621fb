import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Throws unless `token` can travel in `Authorization: Bearer <token>`: header values are Latin-1
 * and the scheme ends at a space, so a token with spaces or other characters could never match
 * and every read would answer 401.
 */
export function assertToken(token: string): void {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error('seglet: the token must be printable ASCII without spaces (it is sent as Authorization: Bearer <token>)');
}

/**
 * Returns a checker for `Authorization: Bearer <token>` headers. Both sides are hashed first so
 * the comparison is constant-time and equal-length whatever the client sends.
 */
export function checkToken(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
    const given = digest(m?.[1] ?? '');
    // Always compare, even without a header, so timing says nothing about which check failed.
    return timingSafeEqual(given, expected) && m !== null;
  };
}
