import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import { noop, WindowLeaf, type WindowKind, type Within } from './WindowLeaf.js';

/** `last`: the prop of the most recent matching event in the window (null if it lacks it). */
const LAST: WindowKind<null> = {
  addRec: noop,
  dropRec: noop,
  clearAll: noop,
  kindValue: (leaf) => (leaf.size() === 0 ? null : propOf((leaf.alpha.recs.at(-1) as Rec).props, leaf.of) ?? null),
  /** Only the newest event's expiry changes the value (to null), and only a flip of the verdict matters. */
  arm(leaf, _v, heap) {
    const test = leaf.verdictOf;
    const last = leaf.alpha.recs.at(-1);
    heap.set(leaf, (test && test(null) === leaf.isTrue) || typeof leaf.windowMs !== 'number' || !last || leaf.size() === 0 ? Infinity : last.t + leaf.windowMs);
  },
};

/** A `last` leaf of prop `of` over `alpha`. */
export const lastLeaf = (alpha: Alpha, within: Within, sessions: Sessions, text: string, of: string): WindowLeaf<null> =>
  new WindowLeaf(LAST, alpha, within, sessions, text, of, null);
