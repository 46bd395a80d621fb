import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { TimedHeap } from '../TimedHeap.js';
import { WindowLeaf, type Within } from './WindowLeaf.js';

/** `min` / `max` over a sliding window with a monotonic deque: O(1) amortized per event. */
export class ExtremeLeaf extends WindowLeaf {
  private idx: number[] = [];
  private val: number[] = [];
  private h = 0;

  constructor(alpha: Alpha, within: Within, sessions: Sessions, text: string, private readonly of: string, private readonly isMax: boolean) {
    super(alpha, within, sessions, text);
  }

  /** The extreme of one event's numeric values, or undefined when it has none. */
  private extremeOf(v: unknown): number | undefined {
    if (!Array.isArray(v)) return typeof v === 'number' ? v : undefined;
    let best: number | undefined;
    for (const x of v) if (typeof x === 'number' && (best === undefined || (this.isMax ? x > best : x < best))) best = x;
    return best;
  }

  protected add(r: Rec, i: number): void {
    const x = this.extremeOf(propOf(r.props, this.of));
    if (x === undefined) return;
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

  /**
   * Without events the value steps through the deque as extremes leave, then turns null: the
   * wake-up is the first step that flips the verdict (or, after a few steps, a step to look again).
   */
  override settle(now: number, heap: TimedHeap): boolean {
    const flip = this.judge(this.value(now));
    heap.set(this, this.wakeAt());
    return flip;
  }

  private wakeAt(): number {
    const { idx, val, h, within } = this;
    if (typeof within !== 'number' || idx.length === h) return Infinity;
    const test = this.verdictOf;
    const verdict = test?.(val[h]);
    let j = h;
    while (test && j < h + 8 && test(j + 1 < idx.length ? val[j + 1] : null) === verdict) if (++j === idx.length) return Infinity;
    return (this.alpha.items[idx[j] as number] as Rec).t + within;
  }

  value(now: number): number | null {
    this.advance(now);
    return this.idx.length > this.h ? (this.val[this.h] as number) : null;
  }
}
