import { SegletError } from '@seglet/core';
import type { CollectorOptions } from './types.js';

/**
 * Wraps a listener so that nothing it throws reaches the host page: the failure goes to
 * `onError` as a `SegletError` with code `collector_failed`, and a throwing `onError` is swallowed.
 */
export function guard<A extends unknown[]>(
  what: string,
  fn: (...args: A) => void,
  options?: CollectorOptions,
): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (cause) {
      reportFailure(what, cause, options);
    }
  };
}

/**
 * Reports a collector failure through `onError`, never throwing. The message carries the cause's
 * own (the script tag's console warning prints the message alone: "vitals collector failed" said
 * nothing of a 404 or a blocked script).
 */
export function reportFailure(what: string, cause: unknown, options?: CollectorOptions): void {
  let why = '';
  try {
    if (cause instanceof Error && cause.message) why = `: ${String(cause.message).slice(0, 200)}`;
  } catch {
    // A message that cannot be read: the cause is still attached.
  }
  try {
    const message = `seglet: ${what} collector failed${why}`;
    // The path points at the option that enabled the collector (`collect.pageViews`, ...).
    options?.onError?.(new SegletError('collector_failed', message, { cause, issues: [{ path: `/collect/${what}`, message }] }));
  } catch {
    // The host's error handler failed too; the page must keep running regardless.
  }
}
