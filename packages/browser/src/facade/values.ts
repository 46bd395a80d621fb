import type { Props, PropValue } from '@seglet/core';
import type { Segments } from '../types.js';

/** Keys set to `null` mean "unknown" (browser context) or "removed" (`setContext`); the engine never sees them. */
export function withoutNulls(values: Record<string, PropValue | undefined>): Props {
  const out: Props = {};
  for (const [key, value] of Object.entries(values)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

export function noop(): void {}

/** What a failed start returns: every method a no-op, `ready` resolved. */
export function inert(): Segments {
  return {
    ready: Promise.resolve(),
    storage: 'memory',
    track: noop, page: noop, identify: noop, setContext: noop, apply: noop, consent: noop, destroy: noop,
    on: () => noop, has: () => false, members: () => [], explain: () => null,
    flush: () => Promise.resolve(), forget: () => Promise.resolve(),
  };
}
