import { propOf } from '../checkProps.js';
import { ExactSum } from '../exactSum.js';
import type { Alpha } from '../Alpha.js';
import type { Sessions } from '../Sessions.js';
import { eachNumber } from './Leaf.js';
import { WindowLeaf, type WindowKind, type Within } from './WindowLeaf.js';

/** The running sum, kept exact so add-then-remove leaves no residue, and how many values it has. */
class SumState {
  readonly sum = new ExactSum();
  n = 0;
  constructor(readonly avg: boolean) {}
  readonly plus = (x: number): void => { this.sum.add(x); this.n++; };
  readonly minus = (x: number): void => { this.sum.add(-x); this.n--; };
}

/** `sum` and `avg` of a prop's numeric values. */
const SUM: WindowKind<SumState> = {
  addRec: (leaf, r) => eachNumber(propOf(r.props, leaf.of), leaf.s.plus),
  dropRec: (leaf, r) => eachNumber(propOf(r.props, leaf.of), leaf.s.minus),
  clearAll(leaf) {
    leaf.s.sum.clear();
    leaf.s.n = 0;
  },
  kindValue({ s }) {
    if (!s.avg) return s.sum.value();
    return s.n === 0 ? null : s.sum.value(s.n);
  },
  /** Wakes at the next window edge: when the oldest event inside leaves it. */
  arm: (leaf, _v, heap) => heap.set(leaf, leaf.edge()),
};

/** A `sum` (or, with `avg`, `avg`) leaf of prop `of` over `alpha`. */
export const sumLeaf = (alpha: Alpha, within: Within, sessions: Sessions, text: string, of: string, avg: boolean): WindowLeaf<SumState> =>
  new WindowLeaf(SUM, alpha, within, sessions, text, of, new SumState(avg));
