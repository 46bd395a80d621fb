import type { Rec } from '../Rec.js';
import type { TimedHeap } from '../TimedHeap.js';
import { WindowLeaf } from './WindowLeaf.js';

/**
 * `count`: the number of matching events in the window. With the test's thresholds known it
 * schedules only the expiry that flips the verdict, not every window edge.
 */
export class CountLeaf extends WindowLeaf {
  protected add(_r: Rec): void {}
  protected remove(_r: Rec): void {}
  protected clear(): void {}

  value(now: number): number {
    this.advance(now);
    return this.size();
  }

  /** The verdict flips when the event that many places from the oldest leaves. */
  override settle(now: number, heap: TimedHeap): boolean {
    const c = this.value(now);
    const flip = this.judge(c);
    const fall = this.fallToFlip(c);
    // The instant is worked out here, not returned by a call (which would box it).
    const r = fall === Infinity ? undefined : this.alpha.items[fall === null ? this.lo : this.lo + fall - 1];
    heap.set(this, r && typeof this.within === 'number' ? r.t + this.within : Infinity);
    return flip;
  }
}
