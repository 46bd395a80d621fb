// `seglet/lean`: seglet with only the collectors the page passes, so a bundler leaves the others
// (and web-vitals) out. Importing it does nothing until `createSegments` is called.
import { collectVitals } from './collectors/collectVitals.js';
import { createSegments as start } from './createSegments.js';
import { checkOptions } from './facade/checkOptions.js';
import type { CollectorKit, Segments, SegmentsOptions } from './types.js';

export { SegletError } from '@seglet/core';
export { collectClicks as clicks } from './collectors/collectClicks.js';
export { collectDataLayer as dataLayer } from './collectors/collectDataLayer.js';
export { collectPageViews as pageViews } from './collectors/collectPageViews.js';
export { collectScroll as scroll } from './collectors/collectScroll.js';
export type {
  BeaconOptions, Change, ChangeHandler, CollectOptions, CollectorKit, ConsentState, Explanation, Props, PropValue, RuleSet,
  Segments, SegmentsOptions, StorageMode,
} from './types.js';

/** The web-vitals collector; `web-vitals` is imported when it starts (a bundler splits it off). */
export const vitals: typeof collectVitals = (track, win, options) => collectVitals(track, win, { ...options, load: () => import('web-vitals') });

/**
 * Starts seglet as `createSegments` of `seglet` does, carrying only `collectors`:
 * `createSegments({ rules }, { pageViews, dataLayer })`. `collect` means the same as there
 * (`vitals` still needs `collect: { vitals: true }`); a collector not passed never runs. The
 * debug overlay is not loaded by `?seglet_debug` here: import `seglet/debug` to show it.
 */
export function createSegments(options: SegmentsOptions, collectors: CollectorKit = {}): Segments {
  return start(options, collectors, checkOptions);
}
