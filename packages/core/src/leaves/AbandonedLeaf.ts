import type { Alpha } from '../Alpha.js';
import type { TimedHeap } from '../TimedHeap.js';
import { LeafBase, type Leaf } from './Leaf.js';

/**
 * `abandoned`: the most recent T event (inside `within`) is at least `after` old and no
 * `unless` event has a time at or after it. Reads only the two alphas' newest events.
 */
export class AbandonedLeaf extends LeafBase implements Leaf {
  constructor(readonly alpha: Alpha, readonly unless: Alpha, private readonly after: number, private readonly within: number | null, readonly text: string) {
    super();
    alpha.leaves.push(this);
    if (unless !== alpha) unless.leaves.push(this);
  }

  reset(): void {}
  onAppend(): void {}
  /** Only an alpha emptying changes the value: the leaf reads their newest events. */
  onDropFront(): boolean {
    return !this.alpha.last() || !this.unless.last();
  }

  /** The candidate A, if it is inside `within` and not ended by an `unless` event. */
  private pending(now: number): number | undefined {
    const a = this.alpha.last();
    if (!a || (this.within !== null && a.t <= now - this.within)) return undefined;
    const u = this.unless.last();
    return u && u.t >= a.t ? undefined : a.t;
  }

  value(now: number): boolean {
    const t = this.pending(now);
    return t !== undefined && now - t >= this.after;
  }

  settle(now: number, heap: TimedHeap): boolean {
    const t = this.pending(now);
    const flip = this.judge(t !== undefined && now - t >= this.after);
    heap.set(this, t === undefined ? Infinity : this.wakeAt(t, now));
    return flip;
  }

  private wakeAt(t: number, now: number): number {
    const end = this.within === null ? Infinity : t + this.within;
    return t + this.after > now ? Math.min(t + this.after, end) : end;
  }
}
