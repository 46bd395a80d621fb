import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import { WindowLeaf, type WindowKind, type Within } from './WindowLeaf.js';

/**
 * A monotonic deque from `h` on: events (`idx`) and their values (`val`), best first. It holds
 * the events themselves, not their slots, so the alpha compacting its array changes nothing here.
 */
class Deque {
  idx: Rec[] = [];
  val: number[] = [];
  h = 0;
  constructor(readonly isMax: boolean) {}

  /** The extreme of one event's numeric values, or undefined when it has none. */
  extremeOf(v: unknown): number | undefined {
    if (!Array.isArray(v)) return typeof v === 'number' ? v : undefined;
    let best: number | undefined;
    for (const x of v) if (typeof x === 'number' && (best === undefined || (this.isMax ? x > best : x < best))) best = x;
    return best;
  }
}

/** `min` / `max` over a sliding window with a monotonic deque: O(1) amortized per event. */
const EXTREME: WindowKind<Deque> = {
  addRec({ s, of }, r) {
    const x = s.extremeOf(propOf(r.props, of));
    if (x === undefined) return;
    // Later values that are at least as good make earlier ones irrelevant.
    while (s.val.length > s.h && (s.isMax ? (s.val.at(-1) as number) <= x : (s.val.at(-1) as number) >= x)) {
      s.val.pop();
      s.idx.pop();
    }
    s.val.push(x);
    s.idx.push(r);
  },
  dropRec({ s }, r) {
    if (s.idx.length > s.h && s.idx[s.h] === r) s.h++;
    if (s.h > 32 && s.h * 2 > s.idx.length) {
      s.idx = s.idx.slice(s.h);
      s.val = s.val.slice(s.h);
      s.h = 0;
    }
  },
  clearAll({ s }) {
    s.idx = [];
    s.val = [];
    s.h = 0;
  },
  kindValue: ({ s }) => (s.idx.length > s.h ? (s.val[s.h] as number) : null),
  /**
   * Without events the value steps through the deque as extremes leave, then turns null: the
   * wake-up is the first step that flips the verdict (or, after a few steps, a step to look again).
   */
  arm(leaf, _v, heap) {
    const { idx, val, h } = leaf.s;
    const within = leaf.windowMs;
    if (typeof within !== 'number' || idx.length === h) {
      heap.set(leaf, Infinity);
      return;
    }
    const test = leaf.verdictOf;
    const verdict = test?.(val[h]);
    let j = h;
    while (test && j < h + 8 && test(j + 1 < idx.length ? val[j + 1] : null) === verdict) {
      if (++j === idx.length) {
        heap.set(leaf, Infinity);
        return;
      }
    }
    heap.set(leaf, (idx[j] as Rec).t + within);
  },
};

/** A `min` (or, with `isMax`, `max`) leaf of prop `of` over `alpha`. */
export const extremeLeaf = (alpha: Alpha, within: Within, sessions: Sessions, text: string, of: string, isMax: boolean): WindowLeaf<Deque> =>
  new WindowLeaf(EXTREME, alpha, within, sessions, text, of, new Deque(isMax));
