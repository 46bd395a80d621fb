import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { TimedHeap } from '../TimedHeap.js';
import type { Primitive } from '../types.js';
import { WindowLeaf, type Within } from './WindowLeaf.js';

/** `distinct`: how many different non-null primitives a prop took in the window. */
export class DistinctLeaf extends WindowLeaf {
  /**
   * Occurrences per value. A value whose count falls to zero keeps its entry (deleting a key and
   * adding it back makes the map rebuild itself) until such entries outnumber the live ones by
   * 64: a prop with a few dozen values (product ids) is never swept, unique ones (order ids) are.
   */
  private readonly counts = new Map<Primitive, number>();
  private live = 0;

  constructor(alpha: Alpha, within: Within, sessions: Sessions, text: string, private readonly of: string) {
    super(alpha, within, sessions, text);
  }

  private each(r: Rec, by: 1 | -1): void {
    const v = propOf(r.props, this.of);
    if (Array.isArray(v)) for (const x of v) this.put(x, by);
    else this.put(v, by);
  }

  private put(x: Primitive | undefined, by: 1 | -1): void {
    if (x === null || x === undefined) return;
    const was = this.counts.get(x) ?? 0;
    this.counts.set(x, was + by);
    if (was === 0) this.live++;
    else if (was + by === 0 && --this.live * 2 + 64 < this.counts.size) {
      for (const [value, n] of this.counts) if (n === 0) this.counts.delete(value);
    }
  }

  protected add(r: Rec): void {
    this.each(r, 1);
  }

  protected remove(r: Rec): void {
    this.each(r, -1);
  }

  protected clear(): void {
    this.counts.clear();
    this.live = 0;
  }

  value(now: number): number {
    this.advance(now);
    return this.live;
  }

  /**
   * The value falls only as events leave, each by at most the values it carries: the verdict
   * cannot flip before enough of them left (after a few events, the leaf looks again).
   */
  override settle(now: number, heap: TimedHeap): boolean {
    const c = this.value(now);
    const flip = this.judge(c);
    heap.set(this, this.wakeAt(c));
    return flip;
  }

  private wakeAt(c: number): number {
    const fall = this.fallToFlip(c);
    if (fall === null) return this.edge();
    if (fall === Infinity) return Infinity;
    const items = this.alpha.items;
    let i = this.lo;
    for (let need = fall; ; i++) {
      const x = propOf((items[i] as Rec).props, this.of);
      need -= Array.isArray(x) ? x.length : x === null || x === undefined ? 0 : 1;
      if (need <= 0 || i === this.lo + 7 || i === items.length - 1) break;
    }
    return (items[i] as Rec).t + (this.within as number);
  }
}
