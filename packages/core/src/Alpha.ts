import { insertionIndex, type Rec } from './Rec.js';
import type { Leaf } from './leaves/Leaf.js';
import type { Props } from './types.js';

/**
 * The events matching one distinct (type, where) pair, oldest first: the alpha memory of a
 * Rete network. Its predicate runs once per event however many conditions share it.
 */
export class Alpha {
  recs: Rec[] = [];
  /**
   * The recs' times, dense beside them: a window edge reads one number here instead of loading
   * its oldest record, scattered over the heap (a cache miss per leaf and event on a long log).
   */
  ts: number[] = [];
  head = 0;
  readonly leaves: Leaf[] = [];
  /** Whether any of its leaves is kept current (a focused replay pauses the rest). */
  live = true;

  constructor(readonly type: string, readonly where: ((p: Props) => boolean) | undefined) {}

  matches(r: Rec): boolean {
    return (this.type === '*' || this.type === r.type) && (!this.where || this.where(r.props));
  }

  /** Appends `r` (the latest so far); returns its slot. */
  push(r: Rec): number {
    this.ts.push(r.t);
    return this.recs.push(r) - 1;
  }

  /** Places a late `r` by time. */
  place(r: Rec): void {
    const at = insertionIndex(this.recs, r, this.head);
    this.recs.splice(at, 0, r);
    this.ts.splice(at, 0, r.t);
  }

  last(): Rec | undefined {
    return this.recs.length > this.head ? this.recs[this.recs.length - 1] : undefined;
  }

  /** Drops the oldest element (the caller has checked it is `r`) and touches the leaves it changed. */
  dropFront(): void {
    const idx = this.head++;
    for (let i = 0; i < this.leaves.length; i++) {
      const leaf = this.leaves[i] as Leaf;
      if (!leaf.off && leaf.onDropFront?.(idx)) leaf.touch(leaf);
    }
    // Compact now and then so the array does not grow with everything ever dropped.
    if (this.head > 64 && this.head * 2 > this.recs.length) {
      const k = this.head;
      this.recs = this.recs.slice(k);
      this.ts = this.ts.slice(k);
      this.head = 0;
      for (const leaf of this.leaves) leaf.shift(k);
    }
  }
}
