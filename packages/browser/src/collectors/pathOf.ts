import { cutString } from './cleanProps.js';

/** The path of a URL: query string and hash dropped, cut to 512. `''` when it cannot be parsed. */
export function pathOf(url: string | URL, base?: string): string {
  try {
    return cutString(new URL(url, base).pathname);
  } catch {
    return '';
  }
}

/**
 * The host of `referrer` when it differs from `ownHost`, else `null`: the same host counts as no
 * referrer, and only the host ever leaves the URL (never its path or query).
 */
export function referrerHost(referrer: string, ownHost: string): string | null {
  if (!referrer) return null;
  try {
    const { host, protocol } = new URL(referrer);
    if (!host || (protocol !== 'http:' && protocol !== 'https:')) return null;
    return host === ownHost ? null : cutString(host);
  } catch {
    return null;
  }
}
