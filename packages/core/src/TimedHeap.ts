import type { Timed } from './Timed.js';

/**
 * A binary min-heap of Timed items with in-place re-keying, so each item is scheduled at most
 * once and nextChange() is O(1).
 */
export class TimedHeap {
  private a: Timed[] = [];

  peek(): Timed | undefined {
    return this.a[0];
  }

  /** Schedules `item` at `at` (Infinity removes it). */
  set(item: Timed, at: number): void {
    if (item.at === at && (item.hi >= 0 || at === Infinity)) return;
    item.at = at;
    if (at === Infinity) {
      if (item.hi >= 0) this.remove(item);
      return;
    }
    if (item.hi < 0) {
      item.hi = this.a.length;
      this.a.push(item);
    }
    this.up(item.hi);
    this.down(item.hi);
  }

  private remove(item: Timed): void {
    const i = item.hi;
    const last = this.a.pop() as Timed;
    item.hi = -1;
    if (last !== item) {
      this.a[i] = last;
      last.hi = i;
      this.up(i);
      this.down(i);
    }
  }

  private swap(i: number, j: number): void {
    const a = this.a;
    const x = a[i] as Timed, y = a[j] as Timed;
    a[i] = y; y.hi = i;
    a[j] = x; x.hi = j;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.a[p] as Timed).at <= (this.a[i] as Timed).at) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.a.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && (this.a[l] as Timed).at < (this.a[m] as Timed).at) m = l;
      if (r < n && (this.a[r] as Timed).at < (this.a[m] as Timed).at) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
