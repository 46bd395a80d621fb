import { cutString, readCookie, referrerHost } from '@seglet/core';

/** The session-landing cookie the browser writes with `cookie: true`. */
export const CONTEXT_COOKIE = 'seglet_c';

/** The campaign keys read from the URL or from `seglet_c` (the ones the browser keeps). */
export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign'] as const;

/** Landing facts: campaign parameters and the cross-host referrer. */
export type Landing = Record<(typeof UTM_KEYS)[number] | 'referrer', string | null>;

/**
 * The request's landing facts. The `seglet_c` cookie (the browser's session landing: a query
 * string of `utm_*` and `referrer`, percent-encoded once; a cookie of older browser builds, encoded
 * twice, has no `=` and is decoded first) is preferred when present; otherwise
 * `utm_*` come from the URL (percent-decoded, the first wins, empty is none) and `referrer` is
 * the `Referer` host, the request's own host counting as none. A URL that carries a `utm_*`
 * starts a new landing, as in the browser (which rewrites `seglet_c` from it), so the cookie's
 * older campaign does not paint the page one campaign and the browser's first check another.
 */
export function readLanding(url: URL, cookieHeader: string | null, referer: string | null): Landing {
  const fresh = UTM_KEYS.some((key) => url.searchParams.get(key));
  // Read as it is (each `%` escaped, the reader's decoding gives it back): decoded, a value's
  // `%26` would split it.
  const raw = fresh ? null : readCookie(cookieHeader?.replace(/%/g, '%25') ?? null, CONTEXT_COOKIE);
  const cookie = raw === null || raw.includes('=') ? raw : decodeOnce(raw);
  const params = cookie === null ? url.searchParams : new URLSearchParams(cookie);
  const landing: Landing = { utm_source: null, utm_medium: null, utm_campaign: null, referrer: null };
  for (const key of UTM_KEYS) {
    const value = params.get(key);
    if (value) landing[key] = cutString(value);
  }
  if (cookie !== null) {
    const host = params.get('referrer');
    landing.referrer = host ? cutString(host) : null;
  } else {
    landing.referrer = referrerHost(referer, url.host);
  }
  return landing;
}

function decodeOnce(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
