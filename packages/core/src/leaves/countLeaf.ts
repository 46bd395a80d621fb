import type { Alpha } from '../Alpha.js';
import type { Sessions } from '../Sessions.js';
import { noop, WindowLeaf, type WindowKind, type Within } from './WindowLeaf.js';

/**
 * `count`: the number of matching events in the window. With the test's thresholds known it
 * schedules only the expiry that flips the verdict, not every window edge.
 */
const COUNT: WindowKind<null> = {
  addRec: noop,
  dropRec: noop,
  clearAll: noop,
  kindValue: (leaf) => leaf.size(),
  /** The verdict flips when the event that many places from the oldest leaves. */
  arm(leaf, c, heap) {
    const fall = leaf.fallToFlip(c as number);
    const t = fall === Infinity ? undefined : leaf.alpha.ts[fall === null ? leaf.lo : leaf.lo + fall - 1];
    heap.set(leaf, t !== undefined && typeof leaf.windowMs === 'number' ? t + leaf.windowMs : Infinity);
  },
};

/** A `count` leaf over `alpha`. */
export const countLeaf = (alpha: Alpha, within: Within, sessions: Sessions, text: string): WindowLeaf<null> =>
  new WindowLeaf(COUNT, alpha, within, sessions, text, '', null);
