import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { TimedHeap } from '../TimedHeap.js';
import type { PropValue } from '../types.js';
import { WindowLeaf, type Within } from './WindowLeaf.js';

/** `last`: the prop of the most recent matching event in the window (null if it lacks it). */
export class LastLeaf extends WindowLeaf {
  constructor(alpha: Alpha, within: Within, sessions: Sessions, text: string, private readonly of: string) {
    super(alpha, within, sessions, text);
  }

  protected add(): void {}
  protected remove(): void {}
  protected clear(): void {}

  value(now: number): PropValue {
    this.advance(now);
    if (this.size() === 0) return null;
    return propOf((this.alpha.items.at(-1) as Rec).props, this.of) ?? null;
  }

  /** Only the newest event's expiry changes the value (to null), and only a flip of the verdict matters. */
  override settle(now: number, heap: TimedHeap): boolean {
    const flip = this.judge(this.value(now));
    const test = this.verdictOf;
    const last = this.alpha.items.at(-1);
    heap.set(this, (test && test(null) === this.verdict) || typeof this.within !== 'number' || !last || this.size() === 0 ? Infinity : last.t + this.within);
    return flip;
  }
}
