import { asSegletError, type Report } from './createReporter.js';

/** Wrappers for public methods: a no-op after `destroy()`, and whatever fails is reported, never thrown. */
export interface Guards {
  guard<A extends unknown[], R>(fn: (...args: A) => R, fallback: R): (...args: A) => R;
  guardAsync<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void>;
}

export function createGuards(destroyed: () => boolean, report: Report): Guards {
  const fail = (cause: unknown): void => report(asSegletError(cause, 'internal_error', 'a seglet call failed'));
  return {
    guard: (fn, fallback) => (...args) => {
      if (destroyed()) return fallback;
      try {
        return fn(...args);
      } catch (cause) {
        fail(cause);
        return fallback;
      }
    },
    guardAsync: (fn) => (...args) => {
      if (destroyed()) return Promise.resolve();
      try {
        return fn(...args).catch(fail);
      } catch (cause) {
        fail(cause);
        return Promise.resolve();
      }
    },
  };
}
