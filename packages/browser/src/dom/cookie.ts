import { cutString, parseDuration, readCookie as readCookieHeader } from '@seglet/core';
import { SEGMENT_ID } from './segmentIds.js';

/** Cookie mirroring memberships for edge workers (comma list of segment ids). */
export const MEMBERS_COOKIE = 'seglet_m';
/** Cookie with the session's landing `utm_*` and `referrer`, preferred by the edge when present. */
export const CONTEXT_COOKIE = 'seglet_c';
/** The edge reads at most this many characters of `seglet_m`; the writer stays within it. */
export const MEMBERS_COOKIE_MAX = 4096;
/** Browsers refuse a cookie whose name and value pass 4,096 bytes: `seglet_c`'s value stays within. */
const CONTEXT_COOKIE_MAX = 4096 - CONTEXT_COOKIE.length - 1;
const DEFAULT_RETAIN_MS = 90 * 86_400_000;
const CONTEXT_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'referrer'] as const;

/** Landing facts carried by `seglet_c`, and the session's last activity (`t`, ms) when it holds one. */
export type ContextCookie = Partial<Record<(typeof CONTEXT_KEYS)[number], string | null>> & { t?: number };

/** `Max-Age` of `seglet_m` in seconds: the rule set's `retain.for` (default 90 days). */
export function cookieMaxAge(rules: { retain?: { for?: unknown } } | null | undefined): number {
  const ms = parseDuration(rules?.retain?.for) ?? DEFAULT_RETAIN_MS;
  return Math.floor(ms / 1000);
}

/**
 * Writes `seglet_m=<ids>; Path=/; SameSite=Lax; Max-Age=<s>` (plus `Secure` on https). Only valid
 * segment ids are written, within 4,096 characters; an empty set deletes the cookie. The facade
 * calls it only with `cookie: true` and consent granted. Returns false when cookies are blocked.
 */
export function writeMembersCookie(doc: Document, members: Iterable<string>, maxAgeSeconds: number): boolean {
  let value = '';
  for (const id of members) {
    if (!SEGMENT_ID.test(id)) continue;
    const next = value === '' ? id : `${value},${id}`;
    if (next.length > MEMBERS_COOKIE_MAX) break;
    value = next;
  }
  return setCookie(doc, MEMBERS_COOKIE, value, value === '' ? 0 : maxAgeSeconds);
}

/**
 * Reads `seglet_m` as the edge does: the first one, quotes stripped, percent-decoded, split on
 * commas, trimmed, capped at 4,096 characters; invalid ids dropped. `null` when there is none.
 */
export function readMembersCookie(doc: Document): string[] | null {
  const raw = readCookie(doc, MEMBERS_COOKIE);
  if (raw === null) return null;
  return raw.slice(0, MEMBERS_COOKIE_MAX).split(',').map((id) => id.trim()).filter((id) => SEGMENT_ID.test(id));
}

/**
 * Writes `seglet_c`: the landing facts as a query string, percent-encoded once
 * (`seglet_c=utm_source=news&referrer=example.org&t=1767261600000`), with `t` the session's last
 * activity (ms): it ends a session `timeout` after it (`Max-Age`), so the edge never paints a new
 * session with the landing of one that ended. Within 4,096 bytes: the longest values are
 * shortened until it fits (a 512-character campaign in Japanese takes 4,608). A cookie the
 * browser still refuses is deleted, not left with the landing before.
 */
export function writeContextCookie(doc: Document, landing: ContextCookie, t: number, timeout: number, now: number): boolean {
  for (let max = 512; ; max = max * 3 >> 2) {
    const params = new URLSearchParams();
    for (const key of CONTEXT_KEYS) {
      const value = landing[key];
      if (typeof value === 'string' && value !== '') params.set(key, cutString(value, max));
    }
    // A session already over, or nothing to carry, deletes it (part of a second left is a second).
    // Not `params.size`: Safari before 17 lacks it, and every write there deleted the cookie.
    const age = params.toString() ? Math.ceil((t + timeout - now) / 1000) : 0;
    if (!(age > 0)) return setCookie(doc, CONTEXT_COOKIE, '', 0);
    params.set('t', String(t));
    const value = params.toString();
    if (value.length <= CONTEXT_COOKIE_MAX) {
      return setCookie(doc, CONTEXT_COOKIE, value, age) && (readCookie(doc, CONTEXT_COOKIE, true) === value || !setCookie(doc, CONTEXT_COOKIE, '', 0));
    }
  }
}

/**
 * Extends `seglet_c` to a session `timeout` past the later of `at` and the activity it holds:
 * another tab may have gone on since (never cut short), or written the session's landing, which
 * the edge reads and so is kept. Without one, writes `landing`.
 */
export function keepContextCookie(doc: Document, landing: ContextCookie, at: number, timeout: number, now: number): boolean {
  const kept = readContextCookie(doc);
  return writeContextCookie(doc, kept ?? landing, Math.max(at, kept?.t ?? at), timeout, now);
}

/**
 * Reads `seglet_c` back; `null` when absent. A cookie written before it was encoded once (encoded
 * twice: no `=` in it) is decoded first, as the edge does.
 */
export function readContextCookie(doc: Document): ContextCookie | null {
  const raw = readCookie(doc, CONTEXT_COOKIE, true);
  if (raw === null) return null;
  const params = new URLSearchParams(contextQuery(raw));
  const out: ContextCookie = {};
  for (const key of CONTEXT_KEYS) out[key] = params.get(key);
  // Written before it held a time: none (NaN would win every comparison's max as NaN).
  const t = Number(params.get('t') ?? NaN);
  if (Number.isFinite(t)) out.t = t;
  return out;
}

/** The query string of a raw `seglet_c` value: as it is, or decoded once when encoded twice. */
function contextQuery(raw: string): string {
  try {
    return raw.includes('=') ? raw : decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Deletes both cookies (`forget()`, consent denied). */
export function clearCookies(doc: Document): void {
  setCookie(doc, MEMBERS_COOKIE, '', 0);
  setCookie(doc, CONTEXT_COOKIE, '', 0);
}

function setCookie(doc: Document, name: string, value: string, maxAge: number): boolean {
  try {
    const secure = doc.location?.protocol === 'https:' ? '; Secure' : '';
    // Segment ids need no encoding, so commas stay readable; seglet_c's query string is encoded.
    doc.cookie = `${name}=${value}; Path=/; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(maxAge))}${secure}`;
    return true;
  } catch {
    return false;
  }
}

/** The cookie's value, percent-decoded or (`raw`) as it is: each `%` escaped, decoding gives it back. */
function readCookie(doc: Document, name: string, raw?: boolean): string | null {
  try {
    return readCookieHeader(raw ? doc.cookie.replace(/%/g, '%25') : doc.cookie, name);
  } catch {
    return null;
  }
}
