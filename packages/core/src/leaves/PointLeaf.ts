import type { Alpha } from '../Alpha.js';
import type { TimedHeap } from '../TimedHeap.js';
import { LeafBase, type Leaf } from './Leaf.js';

/**
 * What sets apart a leaf that reads no window (since, abandoned, session, score, cluster): its
 * state `s`, its value, and when it next wakes. Every kind is an object of these same keys.
 */
export interface PointKind<S> {
  /** The alpha dropped its oldest event: whether the value may have changed (null: in no alpha). */
  drop: ((leaf: PointLeaf<S>) => boolean) | null;
  value(leaf: PointLeaf<S>, now: number): unknown;
  /**
   * Schedules the leaf (see WindowKind.arm). Called only by `settle`, right after `value` at the
   * same instant: what `value` computed into `s` is current.
   */
  arm(leaf: PointLeaf<S>, now: number, heap: TimedHeap): void;
}

/**
 * A leaf whose value needs no window of events. One class for every such kind, as WindowLeaf is
 * for aggregates: the engine's loops then meet two leaf shapes, whatever the rule set holds.
 */
export class PointLeaf<S = unknown> extends LeafBase implements Leaf {
  constructor(readonly k: PointKind<S>, readonly alpha: Alpha | null, readonly text: string, readonly s: S) {
    super();
    alpha?.leaves.push(this);
  }

  reset(): void {}
  onAppend(): void {}

  onDropFront(): boolean {
    return (this.k.drop as (leaf: PointLeaf<S>) => boolean)(this);
  }

  value(now: number): unknown {
    return this.k.value(this, now);
  }

  settle(now: number, heap: TimedHeap): boolean {
    const flip = this.judge(this.value(now));
    this.k.arm(this, now, heap);
    return flip;
  }
}

/** The time of the alpha's most recent event, if any. */
export const lastT = (leaf: { readonly alpha: Alpha | null }): number | undefined => leaf.alpha?.last()?.t;
