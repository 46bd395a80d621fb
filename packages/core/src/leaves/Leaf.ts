import type { Timed } from '../Timed.js';
import type { TimedHeap } from '../TimedHeap.js';

/**
 * A condition's incrementally maintained value. Alphas tell it about appended and dropped
 * events; the engine asks for its value and for the next instant it may change without events.
 */
export interface Leaf extends Timed {
  /** Segments (by evaluation index) whose condition reads this leaf. */
  readonly segs: number[];
  /** Recomputes from the alphas' current contents. */
  reset(now: number): void;
  onAppend(idx: number): void;
  /** The alpha dropped its oldest event (slot `idx`); returns whether the value may have changed. */
  onDropFront?(idx: number): boolean;
  /** The alpha dropped `k` leading slots from its array. */
  shift(k: number): void;
  value(now: number): unknown;
  /**
   * Brings the verdict to `now` and schedules the leaf in `heap` at the next instant after `now`
   * when its value, or the verdict of `numbers` tests, may change; returns whether the verdict
   * flipped. One call per leaf and pass: the value is read once, and the instant never leaves the
   * leaf as a (boxed) number.
   */
  settle(now: number, heap: TimedHeap): boolean;
  /** How this leaf reads for people, e.g. `count of page_view within 24h`. */
  readonly text: string;
  /** Set by the engine: how the leaf reports that it changed. */
  touch: (leaf: Leaf) => void;
  /** Left out of a focused replay: not kept current, reset when it ends. */
  off: boolean;
  /** Whether the engine has it on its list to re-arm. */
  queued: boolean;
  /** The test a condition applies to the value (null: its value feeds a model, every change matters). */
  verdictOf: ((v: unknown) => boolean) | null;
  /** Operands of the test (see `flipBelow`). */
  numbers: readonly number[];
  /** The test's last verdict: segments are re-evaluated only when it flips. */
  isTrue: boolean;
}

/** Fields every leaf shares; `touch` is how it tells the engine it changed. */
export abstract class LeafBase {
  hi = -1;
  at = Infinity;
  off = false;
  queued = false;
  verdictOf: ((v: unknown) => boolean) | null = null;
  isTrue = false;
  /** Operands of the test, so the instant a verdict can flip is found without waking at every edge. */
  numbers: readonly number[] = [];
  readonly segs: number[] = [];
  touch!: (leaf: Leaf) => void;

  /** Sets the verdict for the value `v` (at the instant being settled); returns whether it flipped. */
  protected judge(v: unknown): boolean {
    const test = this.verdictOf;
    if (!test) return false;
    const was = this.isTrue;
    return (this.isTrue = test(v)) !== was;
  }

  fire(now: number): void {
    this.advance(now);
    this.touch(this as unknown as Leaf);
  }

  advance(_now: number): void {}
  shift(_k: number): void {}
}

/**
 * For an integer value `c` that only falls between events (a count, a distinct count): the largest
 * value below `c` whose verdict differs from `c`'s, or -1. Between integers the verdict can only
 * flip at floor(x) or ceil(x) - 1 of an operand x.
 */
export function flipBelow(test: (v: unknown) => boolean, numbers: readonly number[], c: number): number {
  const verdict = test(c);
  let v = -1;
  for (const x of numbers) {
    const lo = Math.floor(x), hi = Math.ceil(x) - 1;
    if (lo < c && lo > v && test(lo) !== verdict) v = lo;
    if (hi < c && hi > v && test(hi) !== verdict) v = hi;
  }
  return v;
}

/**
 * Calls `f` for each numeric value of a prop: the number itself, or each numeric element of an
 * array. No array is built: this runs for every event an aggregate sees.
 */
export function eachNumber(v: unknown, f: (x: number) => void): void {
  if (typeof v === 'number') f(v);
  else if (Array.isArray(v)) for (const x of v) if (typeof x === 'number') f(x);
}

/** The instant of the first crossing of `numbers` thresholds by a value growing 1 per ms from `base`. */
export function thresholdInstant(base: number, numbers: readonly number[], now: number): number {
  let at = Infinity;
  // Two candidates per operand, without an array for them: this runs whenever a `since` is settled.
  for (const x of numbers) at = earlier(earlier(at, base + Math.ceil(x), now), base + Math.floor(x) + 1, now);
  return at;
}

const earlier = (at: number, t: number, now: number): number => (t > now && t < at ? t : at);
