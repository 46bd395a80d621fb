import { cutString } from './cutString.js';

/**
 * The host of `referrer` when it differs from `ownHost`, else `null`: the same host counts as no
 * referrer, and only the host ever leaves the URL (never its path or query). The browser and the
 * edge fill the `referrer` context key with it.
 */
export function referrerHost(referrer: string | null | undefined, ownHost: string): string | null {
  if (!referrer) return null;
  try {
    const { host, protocol } = new URL(referrer);
    if (!host || (protocol !== 'http:' && protocol !== 'https:')) return null;
    return host === ownHost ? null : cutString(host);
  } catch {
    return null;
  }
}
