import type { PropValue, SegletError } from '@seglet/core';

/** Receives one collected event; the facade passes its own `track`. Props are already cleaned. */
export type Track = (type: string, props: Record<string, PropValue>) => void;

/** The window a collector reads, passed in so tests and frames can supply their own. */
export type Win = Window & typeof globalThis;

/** Stops a collector: removes its listeners and undoes what it patched. Safe to call twice. */
export type Stop = () => void;

/** Options every collector accepts. */
export interface CollectorOptions {
  /** Receives a `SegletError` (code `collector_failed`) instead of anything being thrown at the page. */
  onError?: (error: SegletError) => void;
}
