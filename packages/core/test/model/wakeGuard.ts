import type { Timed } from '../../src/Timed.js';
import { TimedHeap } from '../../src/TimedHeap.js';

/**
 * Most wake-ups one guarded run may perform at one instant, and in all. A heap holds at most one
 * item per leaf, held segment, retention and hour, so no more than that many are ever due at one
 * instant; no scenario of the differential tests needed more than about 24,000 in all (measured
 * over property, edgeCaseProperty, specEdges and contextHistory). 10,000 wake-ups at one
 * instant take a few milliseconds.
 */
export const WAKE_BUDGET = { atOnce: 10_000, total: 1_000_000 };

/** The run being guarded: the heap and instant of the last wake-up, and how many so far. */
let run: { heap: TimedHeap | null; at: number; atOnce: number; total: number; budget: typeof WAKE_BUDGET } | null = null;

// Wrapped once, when this module loads, and not for each run: changing a prototype throws away
// the engine's optimized code that relies on it.
const peek = TimedHeap.prototype.peek;
TimedHeap.prototype.peek = function guardedPeek(this: TimedHeap): Timed | undefined {
  const item = peek.call(this);
  if (item && run) {
    const at = this.top();
    if (this !== run.heap || at !== run.at) {
      if (this === run.heap && at < run.at) throw new Error(`wake-up guard: a wake-up at ${at} came after one at ${run.at}: time went backwards`);
      run.heap = this;
      run.at = at;
      run.atOnce = 0;
    }
    if (++run.atOnce > run.budget.atOnce) throw new Error(`wake-up guard: more than ${run.budget.atOnce} wake-ups at ${at}: a wake-up re-armed at the instant it woke at, so advance would loop forever`);
    if (++run.total > run.budget.total) throw new Error(`wake-up guard: more than ${run.budget.total} wake-ups in one run: advance is not getting anywhere`);
  }
  return item;
};

/**
 * Runs `f` with the wake-ups the engine performs (each item `TimedHeap.peek` hands to
 * `Network.advance`, its only caller) counted: more than `budget.atOnce` at one instant, more than
 * `budget.total` in all, or one earlier than the one before on the same heap, throws. An engine
 * bug that re-arms a wake-up at the instant being performed (a window edge compared with >=
 * instead of >, say) otherwise spins advance's loop forever: the property never fails, so
 * fast-check never shrinks it to a counterexample. Here it fails within milliseconds, and
 * fast-check reports the smallest scenario.
 */
export function guardWakeups<T>(f: () => T, budget = WAKE_BUDGET): T {
  const outer = run;
  run = { heap: null, at: 0, atOnce: 0, total: 0, budget };
  try {
    return f();
  } finally {
    run = outer;
  }
}
