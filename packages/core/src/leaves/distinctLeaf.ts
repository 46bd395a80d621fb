import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { Primitive } from '../types.js';
import { WindowLeaf, type WindowKind, type Within } from './WindowLeaf.js';

/**
 * Occurrences per value. A value whose count falls to zero keeps its entry (deleting a key and
 * adding it back makes the map rebuild itself) until such entries outnumber the live ones by
 * 64: a prop with a few dozen values (product ids) is never swept, unique ones (order ids) are.
 */
class Counts {
  readonly counts = new Map<Primitive, number>();
  live = 0;

  put(x: Primitive | undefined, by: 1 | -1): void {
    if (x === null || x === undefined) return;
    const was = this.counts.get(x) ?? 0;
    this.counts.set(x, was + by);
    if (was === 0) this.live++;
    else if (was + by === 0 && --this.live * 2 + 64 < this.counts.size) {
      for (const [value, n] of this.counts) if (n === 0) this.counts.delete(value);
    }
  }
}

function each(leaf: WindowLeaf<Counts>, r: Rec, by: 1 | -1): void {
  const v = propOf(r.props, leaf.of);
  if (Array.isArray(v)) for (const x of v) leaf.s.put(x, by);
  else leaf.s.put(v, by);
}

/** `distinct`: how many different non-null primitives a prop took in the window. */
const DISTINCT: WindowKind<Counts> = {
  addRec: (leaf, r) => each(leaf, r, 1),
  dropRec: (leaf, r) => each(leaf, r, -1),
  clearAll({ s }) {
    s.counts.clear();
    s.live = 0;
  },
  kindValue: (leaf) => leaf.s.live,
  /**
   * The value falls only as events leave, each by at most the values it carries: the verdict
   * cannot flip before enough of them left (after a few events, the leaf looks again).
   */
  arm(leaf, c, heap) {
    const fall = leaf.fallToFlip(c as number);
    if (fall === null || fall === Infinity) {
      heap.set(leaf, fall === null ? leaf.edge() : Infinity);
      return;
    }
    const items = leaf.alpha.recs;
    let i = leaf.lo;
    for (let need = fall; ; i++) {
      const x = propOf((items[i] as Rec).props, leaf.of);
      need -= Array.isArray(x) ? x.length : x === null || x === undefined ? 0 : 1;
      if (need <= 0 || i === leaf.lo + 7 || i === items.length - 1) break;
    }
    heap.set(leaf, (items[i] as Rec).t + (leaf.windowMs as number));
  },
};

/** A `distinct` leaf of prop `of` over `alpha`. */
export const distinctLeaf = (alpha: Alpha, within: Within, sessions: Sessions, text: string, of: string): WindowLeaf<Counts> =>
  new WindowLeaf(DISTINCT, alpha, within, sessions, text, of, new Counts());
