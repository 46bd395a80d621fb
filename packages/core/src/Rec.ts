import type { Props } from './types.js';

/** An event as kept in the retained log: its arrival number breaks ties of equal `t`. */
export interface Rec {
  type: string;
  t: number;
  seq: number;
  props: Props;
}

/** Log order: by time, then by arrival. */
export const before = (a: Rec, b: Rec): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);

/** Index at which `r` goes into the sorted `items` (searching from `lo`). */
export function insertionIndex(items: readonly Rec[], r: Rec, lo = 0): number {
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid] as Rec, r)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
