import type { Timed } from './Timed.js';

/**
 * A binary min-heap of Timed items with in-place re-keying, so each item is scheduled at most
 * once. Keys live in a Float64Array beside the items: comparing them reads no fields of the
 * (many-shaped) items and boxes no numbers.
 *
 * Lazy where it is safe: an item moved later (or removed) keeps its earlier key and only notes
 * its instant (`at`); it is re-keyed when it reaches the top. A window's expiry moves later with
 * nearly every event, and most of those moves never reach the top before the next one. The top
 * is settled before it is read, so `top()` is exact: no key is later than its item's instant,
 * and a top whose key is its instant is the earliest instant of all.
 */
export class TimedHeap {
  private a: Timed[] = [];
  private k = new Float64Array(16);
  private n = 0;

  /** The item due at `top()`. */
  peek(): Timed | undefined {
    return this.top() < Infinity ? this.a[0] : undefined;
  }

  /** The earliest instant (Infinity when nothing is scheduled). */
  top(): number {
    for (let item; this.n && (item = this.a[0] as Timed).at !== this.k[0];) {
      if (item.at === Infinity) this.removeAt(0);
      else {
        this.k[0] = item.at;
        this.down(0);
      }
    }
    return this.n ? (this.k[0] as number) : Infinity;
  }

  /**
   * Schedules `item` at `at` (Infinity removes it). Small, so that it is inlined where a leaf
   * settles: `at` then reaches the key array without being boxed for a call.
   */
  set(item: Timed, at: number): void {
    let i = item.hi;
    // NaN would never settle at the top (NaN !== NaN): it is no instant, as Infinity.
    item.at = at === at ? at : (at = Infinity);
    if (i < 0) {
      if (at === Infinity) return;
      i = this.add(item);
    } else if (at >= (this.k[i] as number)) return;
    this.k[i] = at;
    this.up(i);
  }

  /** A slot at the end for `item` (its key set by the caller). */
  private add(item: Timed): number {
    if (this.n === this.k.length) {
      const k = new Float64Array(this.n * 2);
      k.set(this.k);
      this.k = k;
    }
    const i = (item.hi = this.n++);
    this.a[i] = item;
    return i;
  }

  private removeAt(i: number): void {
    const item = this.a[i] as Timed;
    item.hi = -1;
    const last = --this.n;
    if (i !== last) {
      this.put(i, this.a[last] as Timed, this.k[last] as number);
      this.down(this.up(i));
    }
  }

  private put(i: number, item: Timed, at: number): void {
    this.a[i] = item;
    this.k[i] = at;
    item.hi = i;
  }

  /** Moves the item at `i` towards the root; returns where it stopped. */
  private up(i: number): number {
    const { a, k } = this;
    const item = a[i] as Timed, at = k[i] as number;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((k[p] as number) <= at) break;
      this.put(i, a[p] as Timed, k[p] as number);
      i = p;
    }
    this.put(i, item, at);
    return i;
  }

  private down(i: number): void {
    const { a, k, n } = this;
    const item = a[i] as Timed, at = k[i] as number;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = l < n && (k[l] as number) < at ? l : -1;
      if (r < n && (k[r] as number) < (m < 0 ? at : (k[l] as number))) m = r;
      if (m < 0) break;
      this.put(i, a[m] as Timed, k[m] as number);
      i = m;
    }
    this.put(i, item, at);
  }
}
