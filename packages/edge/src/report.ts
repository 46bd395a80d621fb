import { SegletError } from '@seglet/core';
import type { EdgeErrorCode } from './types.js';

/** How many distinct "once" problems are remembered per rule set before the memory starts over. */
const MAX_REMEMBERED = 512;

/** Sends problems to `onError` (or one `console.warn` each without it); never throws. */
export interface Reporter {
  /** Reports every time: one request's own failure (its origin failed). */
  always(onError: ((e: SegletError) => void) | undefined, code: EdgeErrorCode, message: string, path: string, cause?: unknown): void;
  /** Reports a configuration problem once per rule set (invalid rules, an unknown id, a selector), not once per request. */
  once(onError: ((e: SegletError) => void) | undefined, code: EdgeErrorCode, message: string, path: string, cause?: unknown): void;
}

/** A reporter whose "once" memory lives as long as the prepared rule set it belongs to. */
export function createReporter(): Reporter {
  const seen = new Set<string>();
  const always: Reporter['always'] = (onError, code, message, path, cause) => {
    const issues = [{ path, message }];
    const error = new SegletError(code, message, cause === undefined ? { issues } : { issues, cause });
    try {
      if (onError) onError(error);
      else console.warn(error.message);
    } catch {
      // A throwing onError must never turn into a failed response.
    }
  };
  return {
    always,
    once(onError, code, message, path, cause) {
      const key = `${code}\u0000${path}\u0000${message}`;
      if (seen.has(key)) return;
      // Bounded: hostile pages or cookies cannot grow this set without limit.
      if (seen.size >= MAX_REMEMBERED) seen.clear();
      seen.add(key);
      always(onError, code, message, path, cause);
    },
  };
}
