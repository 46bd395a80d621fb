import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

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
