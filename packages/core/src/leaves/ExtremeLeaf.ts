import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import { numbersOf } from './Leaf.js';
import { WindowLeaf, type Within } from './WindowLeaf.js';

/** `min` / `max` over a sliding window with a monotonic deque: O(1) amortized per event. */
export class ExtremeLeaf extends WindowLeaf {
  private idx: number[] = [];
  private val: number[] = [];
  private h = 0;

  constructor(alpha: Alpha, within: Within, sessions: Sessions, text: string, private readonly of: string, private readonly isMax: boolean) {
    super(alpha, within, sessions, text);
  }

  protected add(r: Rec, i: number): void {
    const xs = numbersOf(propOf(r.props, this.of));
    if (xs.length === 0) return;
    const x = this.isMax ? Math.max(...xs) : Math.min(...xs);
    // Later values that are at least as good make earlier ones irrelevant.
    while (this.val.length > this.h && (this.isMax ? (this.val.at(-1) as number) <= x : (this.val.at(-1) as number) >= x)) {
      this.val.pop();
      this.idx.pop();
    }
    this.val.push(x);
    this.idx.push(i);
  }

  protected remove(_r: Rec, i: number): void {
    if (this.idx.length > this.h && this.idx[this.h] === i) this.h++;
    if (this.h > 32 && this.h * 2 > this.idx.length) {
      this.idx = this.idx.slice(this.h);
      this.val = this.val.slice(this.h);
      this.h = 0;
    }
  }

  protected clear(): void {
    this.idx = [];
    this.val = [];
    this.h = 0;
  }

  override shift(k: number): void {
    super.shift(k);
    for (let j = this.h; j < this.idx.length; j++) this.idx[j] = (this.idx[j] as number) - k;
  }

  /** Only the current extreme leaving the window changes the value. */
  override nextAt(now: number): number {
    this.advance(now);
    const first = this.idx.length > this.h ? this.alpha.items[this.idx[this.h] as number] : undefined;
    return typeof this.within === 'number' && first ? first.t + this.within : Infinity;
  }

  value(now: number): number | null {
    this.advance(now);
    return this.idx.length > this.h ? (this.val[this.h] as number) : null;
  }
}
