import type { Alpha } from '../Alpha.js';
import { before, type Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { TimedHeap } from '../TimedHeap.js';
import { flipBelow, LeafBase, type Leaf } from './Leaf.js';

/** `within`: a duration in ms, the latest session, or the whole retained log. */
export type Within = number | 'session' | null;

/**
 * An aggregate over the alpha's events inside a sliding window [lo, end). Subclasses keep their
 * running state through add/remove; the window only ever moves forward, so work is amortized O(1).
 */
export abstract class WindowLeaf extends LeafBase implements Leaf {
  protected lo = 0;
  /** `flipBelow` of the test for each count met below 256. */
  private readonly flips: number[] = [];

  constructor(readonly alpha: Alpha, readonly within: Within, protected readonly sessions: Sessions, readonly text: string) {
    super();
    alpha.leaves.push(this);
  }

  protected abstract add(r: Rec, idx: number): void;
  protected abstract remove(r: Rec, idx: number): void;
  protected abstract clear(): void;
  abstract value(now: number): unknown;

  reset(now: number): void {
    this.clear();
    const items = this.alpha.items;
    let lo = this.alpha.head;
    // A timed window starts at the first event inside it: found by bisection, the rest never added.
    if (typeof this.within === 'number') {
      for (let hi = items.length, edge = now - this.within; lo < hi; ) {
        const mid = (lo + hi) >>> 1;
        if ((items[mid] as Rec).t <= edge) lo = mid + 1;
        else hi = mid;
      }
    }
    this.lo = lo;
    for (let i = lo; i < items.length; i++) this.add(items[i] as Rec, i);
    this.advance(now);
  }

  onAppend(idx: number): void {
    this.add(this.alpha.items[idx] as Rec, idx);
  }

  onDropFront(idx: number): boolean {
    if (idx < this.lo) return false;
    this.remove(this.alpha.items[idx] as Rec, idx);
    this.lo = idx + 1;
    return true;
  }

  override shift(k: number): void {
    this.lo -= k;
  }

  override advance(now: number): void {
    const items = this.alpha.items;
    const w = this.within;
    if (w === null) return;
    const start = w === 'session' ? this.sessions.start : null;
    while (this.lo < items.length) {
      const r = items[this.lo] as Rec;
      if (w === 'session' ? !start || !before(r, start) : r.t > now - w) break;
      this.remove(r, this.lo);
      this.lo++;
    }
  }

  /**
   * For a value that only falls between events (a count, a distinct count) standing at `c`: how
   * far it must fall before the verdict flips (Infinity: it never does), or null when every window
   * edge must wake the leaf (no test, as for a model's input, or no timed window).
   */
  protected fallToFlip(c: number): number | null {
    const test = this.verdictOf;
    if (!test || typeof this.within !== 'number' || c === 0) return null;
    // The same few counts come back event after event: each is worked out once (the test and its
    // operands never change), which also spares boxing the operands to call the test.
    let v = this.flips[c];
    if (v === undefined) {
      v = flipBelow(test, this.numbers, c);
      if (c < 256) this.flips[c] = v;
    }
    return v < 0 ? Infinity : c - v;
  }

  protected size(): number {
    return this.alpha.items.length - this.lo;
  }

  /** Wakes at the next window edge: when the oldest event inside leaves it. */
  settle(now: number, heap: TimedHeap): boolean {
    const flip = this.judge(this.value(now));
    heap.set(this, this.edge());
    return flip;
  }

  /** The next window edge of a window already advanced (as `value` does). */
  protected edge(): number {
    const first = this.alpha.items[this.lo];
    return typeof this.within === 'number' && first ? first.t + this.within : Infinity;
  }
}
