import type { Alpha } from '../Alpha.js';
import { before, type Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { TimedHeap } from '../TimedHeap.js';
import { flipBelow, LeafBase, type Leaf } from './Leaf.js';

/** `within`: a duration in ms, the latest session, or the whole retained log. */
export type Within = number | 'session' | null;

/**
 * What sets one window aggregate apart (count, sum, distinct...): its running state `s`, kept
 * through add/remove, its value, and when it next wakes. Every kind is an object of these same
 * keys, so reading one from a leaf is one monomorphic load.
 */
export interface WindowKind<S> {
  addRec(leaf: WindowLeaf<S>, r: Rec): void;
  dropRec(leaf: WindowLeaf<S>, r: Rec): void;
  clearAll(leaf: WindowLeaf<S>): void;
  /** The value of a window already advanced. */
  kindValue(leaf: WindowLeaf<S>): unknown;
  /**
   * Schedules the leaf after its verdict for `v` was set: in the heap here, not returned, since a
   * number returned by a call the engine cannot inline is boxed.
   */
  arm(leaf: WindowLeaf<S>, v: unknown, heap: TimedHeap): void;
}

/**
 * An aggregate over the alpha's events inside a sliding window [lo, end); the window only ever
 * moves forward, so work is amortized O(1). One class for every kind (the kind is data): the
 * engine's loops over leaves, and this class's own code, see one object shape instead of one per
 * kind, which made every field read there a slow megamorphic lookup (about a third of track()).
 */
export class WindowLeaf<S = unknown> extends LeafBase implements Leaf {
  lo = 0;
  /** `flipBelow` of the test for each count met below 256. */
  private readonly flips: number[] = [];

  constructor(
    readonly k: WindowKind<S>, readonly alpha: Alpha, readonly windowMs: Within, readonly sessions: Sessions,
    readonly text: string, readonly of: string, readonly s: S,
  ) {
    super();
    alpha.leaves.push(this);
  }

  reset(now: number): void {
    this.k.clearAll(this);
    const items = this.alpha.recs;
    let lo = this.alpha.head;
    // A timed window starts at the first event inside it: found by bisection, the rest never added.
    if (typeof this.windowMs === 'number') {
      for (let hi = items.length, edge = now - this.windowMs; lo < hi; ) {
        const mid = (lo + hi) >>> 1;
        if ((this.alpha.ts[mid] as number) <= edge) lo = mid + 1;
        else hi = mid;
      }
    }
    this.lo = lo;
    for (let i = lo; i < items.length; i++) this.k.addRec(this, items[i] as Rec);
    this.advance(now);
  }

  onAppend(idx: number): void {
    this.k.addRec(this, this.alpha.recs[idx] as Rec);
  }

  onDropFront(idx: number): boolean {
    if (idx < this.lo) return false;
    this.k.dropRec(this, this.alpha.recs[idx] as Rec);
    this.lo = idx + 1;
    return true;
  }

  override shift(k: number): void {
    this.lo -= k;
  }

  override advance(now: number): void {
    const { recs, ts } = this.alpha;
    const w = this.windowMs;
    if (w === null) return;
    const start = w === 'session' ? this.sessions.start : null;
    while (this.lo < recs.length) {
      if (w === 'session' ? !start || !before(recs[this.lo] as Rec, start) : (ts[this.lo] as number) > now - w) break;
      this.k.dropRec(this, recs[this.lo] as Rec);
      this.lo++;
    }
  }

  value(now: number): unknown {
    this.advance(now);
    return this.k.kindValue(this);
  }

  settle(now: number, heap: TimedHeap): boolean {
    const v = this.value(now);
    const flip = this.judge(v);
    this.k.arm(this, v, heap);
    return flip;
  }

  /**
   * For a value that only falls between events (a count, a distinct count) standing at `c`: how
   * far it must fall before the verdict flips (Infinity: it never does), or null when every window
   * edge must wake the leaf (no test, as for a model's input, or no timed window).
   */
  fallToFlip(c: number): number | null {
    const test = this.verdictOf;
    if (!test || typeof this.windowMs !== 'number' || c === 0) return null;
    // The same few counts come back event after event: each is worked out once (the test and its
    // operands never change), which also spares boxing the operands to call the test.
    let v = this.flips[c];
    if (v === undefined) {
      v = flipBelow(test, this.numbers, c);
      if (c < 256) this.flips[c] = v;
    }
    return v < 0 ? Infinity : c - v;
  }

  size(): number {
    return this.alpha.recs.length - this.lo;
  }

  /** The next window edge of a window already advanced (as `value` does). */
  edge(): number {
    const t = this.alpha.ts[this.lo];
    return typeof this.windowMs === 'number' && t !== undefined ? t + this.windowMs : Infinity;
  }
}

/** Kinds without state of their own leave these out. */
export const noop = (): void => {};
