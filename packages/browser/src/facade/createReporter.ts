import { SegletError } from '@seglet/core';

/** Sends one error to the host; never throws. */
export type Report = (error: SegletError) => void;

/**
 * The facade's one error sink. With `onError`, every error goes there (a throwing handler is
 * logged, never rethrown); without it, one `console.warn` per code so a page is not flooded.
 * `callback_failed` (a host callback threw) is also logged with `console.error`, as the contract says.
 */
export function createReporter(onError: ((error: SegletError) => void) | undefined): Report {
  const warned = new Set<string>();
  return (error) => {
    try {
      if (error.code === 'callback_failed') console.error(error.message, error.cause);
      if (onError) {
        onError(error);
        return;
      }
      if (warned.has(error.code)) return;
      warned.add(error.code);
      console.warn(error.message);
    } catch (cause) {
      try { console.error('seglet: onError threw', cause); } catch { /* console itself is broken: nothing left to do */ }
    }
  };
}

/** Wraps anything caught into a `SegletError` (kept as is when it already is one). */
export function asSegletError(cause: unknown, code: string, message: string): SegletError {
  return cause instanceof SegletError ? cause : new SegletError(code, message, { cause });
}
