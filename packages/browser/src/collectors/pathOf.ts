import { referrerHost } from '@seglet/core';
import { cutString } from './cleanProps.js';

/** The path of a URL: query string and hash dropped, cut to 512. `''` when it cannot be parsed. */
export function pathOf(url: string | URL, base?: string): string {
  try {
    return cutString(new URL(url, base).pathname);
  } catch {
    return '';
  }
}

export { referrerHost };
