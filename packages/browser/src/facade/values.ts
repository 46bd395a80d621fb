import type { Props, PropValue } from '@seglet/core';
import type { Segments } from '../types.js';

/** Keys set to `null` mean "unknown" (browser context) or "removed" (`setContext`); the engine never sees them. */
export function withoutNulls(values: Record<string, PropValue | undefined>): Props {
  const out: Props = {};
  for (const [key, value] of Object.entries(values)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

/**
 * The props a page passed, copied when it calls: the engine, the stored event and the other tabs
 * then get the same values whatever the page does with its object afterwards (a reused object, a
 * framework's reactive Proxy, which IndexedDB and BroadcastChannel cannot clone: its batch failed
 * every retry and took each later write with it). Arrays are copied too; anything but a plain
 * object is passed on as it is, for the engine to reject. Throws what the page's getters throw.
 */
export function copyProps<T>(props: T): T {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return props;
  const out = { ...props } as Record<string, unknown>;
  for (const key of Object.keys(out)) if (Array.isArray(out[key])) out[key] = [...(out[key] as unknown[])];
  return out as T;
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
