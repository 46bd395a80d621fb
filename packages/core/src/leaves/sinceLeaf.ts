import type { Alpha } from '../Alpha.js';
import { thresholdInstant } from './Leaf.js';
import { lastT, PointLeaf, type PointKind } from './PointLeaf.js';

/** `since`: ms since the most recent matching event (Infinity when there is none). */
export const SINCE: PointKind<null> = {
  /** Only the last event leaving changes the value. */
  drop: (leaf) => !leaf.alpha?.last(),
  value(leaf, now) {
    const t = lastT(leaf);
    return t === undefined ? Infinity : now - t;
  },
  arm(leaf, now, heap) {
    const t = lastT(leaf);
    heap.set(leaf, t === undefined ? Infinity : thresholdInstant(t, leaf.numbers, now));
  },
};

/** A `since` leaf over `alpha`. */
export const sinceLeaf = (alpha: Alpha, text: string): PointLeaf<null> => new PointLeaf(SINCE, alpha, text, null);
