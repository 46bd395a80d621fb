import type { Rec } from '../Rec.js';
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
  override nextAt(now: number): number {
    const fall = this.fallToFlip(this.value(now));
    if (fall === null) return super.nextAt(now);
    return fall === Infinity ? Infinity : (this.alpha.items[this.lo + fall - 1] as Rec).t + (this.within as number);
  }
}
