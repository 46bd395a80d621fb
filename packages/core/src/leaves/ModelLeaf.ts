import type { TimedHeap } from '../TimedHeap.js';
import type { SinceLeaf } from './SinceLeaf.js';
import { LeafBase, type Leaf } from './Leaf.js';

/** One input of a score or cluster model. */
export interface Term {
  get: (now: number) => unknown;
  weight: number;
  cap: number | undefined;
  since: SinceLeaf | undefined;
}

/** What a model input counts as: true 1, false 0, non-numbers 0, Infinity capped. */
export function termNumber(v: unknown, cap: number | undefined): number {
  const x = typeof v === 'number' ? v : v === true ? 1 : 0;
  return cap === undefined ? x : Math.min(x, cap);
}

/** First instant in (lo, hi] where `p` holds, given that it does not at lo and is monotone. */
export function firstTrue(lo: number, hi: number, p: (t: number) => boolean): number {
  if (!p(hi)) return Infinity;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (p(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * A `score` or `cluster` model over terms. Between events its output varies only through
 * uncapped `since` terms, which grow 1 per ms: on such a stretch the output is monotone (score)
 * or the nearest centroid changes at linear crossings (cluster), so the next change is found by
 * bisection rather than by waking every millisecond.
 */
export abstract class ModelLeaf extends LeafBase implements Leaf {
  constructor(protected readonly terms: Term[], readonly text: string) {
    super();
  }

  reset(): void {}
  onAppend(): void {}

  /** The model's output for these inputs. */
  protected abstract output(xs: number[]): unknown;

  /** The monotone predicates (over inputs at a later instant) whose first truth marks a possible change. */
  protected abstract crossings(xs: number[]): ((ys: number[]) => boolean)[];

  protected inputs(now: number): number[] {
    return this.terms.map((term) => termNumber(term.get(now), term.cap));
  }

  value(now: number): unknown {
    return this.output(this.inputs(now));
  }

  settle(now: number, heap: TimedHeap): boolean {
    const flip = this.judge(this.value(now));
    heap.set(this, this.nextAt(now));
    return flip;
  }

  private nextAt(now: number): number {
    let end = Infinity;
    for (const { since, cap } of this.terms) {
      const t = since?.lastT();
      if (t !== undefined && cap !== undefined && now - t < cap) end = Math.min(end, t + cap);
    }
    if (end === Infinity) return Infinity;
    // Only `since` inputs move between events; every other input keeps its value at `now` (reading
    // a window at a later instant would expire it for good).
    const xs = this.inputs(now);
    const at = (t: number) => this.terms.map((term, i) => {
      const last = term.since?.lastT();
      return last === undefined ? (xs[i] as number) : termNumber(t - last, term.cap);
    });
    let next = end;
    for (const p of this.crossings(xs)) next = Math.min(next, firstTrue(now, end, (t) => p(at(t))));
    return next;
  }
}
