import type { Alpha } from '../Alpha.js';
import type { TimedHeap } from '../TimedHeap.js';
import { LeafBase, thresholdInstant, type Leaf } from './Leaf.js';

/** `since`: ms since the most recent matching event (Infinity when there is none). */
export class SinceLeaf extends LeafBase implements Leaf {
  constructor(readonly alpha: Alpha, readonly text: string) {
    super();
    alpha.leaves.push(this);
  }

  reset(): void {}
  onAppend(): void {}
  /** Only the last event leaving changes the value. */
  onDropFront(): boolean {
    return !this.alpha.last();
  }

  /** The time of the most recent matching event, if any. */
  lastT(): number | undefined {
    return this.alpha.last()?.t;
  }

  value(now: number): number {
    const t = this.lastT();
    return t === undefined ? Infinity : now - t;
  }

  settle(now: number, heap: TimedHeap): boolean {
    const flip = this.judge(this.value(now));
    const t = this.lastT();
    heap.set(this, t === undefined ? Infinity : thresholdInstant(t, this.numbers, now));
    return flip;
  }
}
