// The ESM entry of `seglet`: importing it does nothing until `createSegments` is called.
import { allCollectors } from './collectors/allCollectors.js';
import { createSegments as start } from './createSegments.js';
import { debugWanted } from './debug/debugWanted.js';
import { checkOptions } from './facade/checkOptions.js';
import { setVitalsSource } from './facade/vitalsSource.js';
import type { Segments, SegmentsOptions } from './types.js';

export { SegletError } from '@seglet/core';
export type {
  BeaconOptions, Change, ChangeHandler, CollectOptions, CollectorKit, ConsentState, Explanation, Props, PropValue, RuleSet,
  Segments, SegmentsOptions, StorageMode,
} from './types.js';

/**
 * Starts seglet on this page (runtime sections 2, 3 and 7). Synchronously: memberships from the
 * snapshot, swaps applied and observed, collectors running; `ready` then restores history and
 * applies the calls made before it. One instance per page: a second call reports
 * `duplicate_instance` and returns the first. Nothing here or in the returned object throws.
 * With `debug: true` or `?seglet_debug` in the URL, the overlay (`seglet/debug`) is imported and shown.
 */
export function createSegments(options: SegmentsOptions): Segments {
  // Opt-in web-vitals stays out of the main chunk: a bundler splits this import off.
  setVitalsSource(() => import('web-vitals'));
  const segments = start(options, allCollectors, checkOptions);
  try {
    const win = (options.window ?? globalThis.window) as (Window & typeof globalThis) | undefined;
    if (win?.location && debugWanted(options.debug, win.location.search)) {
      void import('seglet/debug').then((m) => m.mountDebug(segments, win), () => console.warn('seglet: the debug overlay could not be loaded'));
    }
  } catch {
    // No window or no options: `start` has already reported it.
  }
  return segments;
}
