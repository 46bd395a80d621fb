// The scheduler under the engine's time-driven changes: after any sequence of schedule, re-key and
// remove operations, the heap's top is the earliest scheduled instant, as a plain sorted list says,
// also while moves later and removals wait in the heap (they are settled when they reach the top).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Timed } from '../src/Timed.js';
import { TimedHeap } from '../src/TimedHeap.js';

describe('TimedHeap', () => {
  it('always tops with the earliest scheduled item, through growth, re-keys and removals', () => {
    const op = fc.tuple(fc.nat(59), fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.constant(Infinity)));
    fc.assert(
      fc.property(fc.array(op, { minLength: 40, maxLength: 300 }), (ops) => {
        const heap = new TimedHeap();
        const items: Timed[] = Array.from({ length: 60 }, () => ({ hi: -1, at: Infinity, fire: () => {} }));
        const at = new Map<Timed, number>();
        for (const [i, t] of ops) {
          const item = items[i] as Timed;
          heap.set(item, t);
          if (t === Infinity) at.delete(item);
          else at.set(item, t);
          const earliest = Math.min(...at.values());
          expect(heap.top()).toBe(earliest);
          if (at.size) expect(at.get(heap.peek() as Timed)).toBe(earliest);
          else expect(heap.peek()).toBeUndefined();
          // Every scheduled item is in the heap; a removed one may wait there until it reaches the top.
          for (const item of at.keys()) expect(item.hi).toBeGreaterThanOrEqual(0);
        }
        // Draining by the top gives every instant in order.
        const drained: number[] = [];
        for (let top = heap.peek(); top; top = heap.peek()) {
          drained.push(heap.top());
          heap.set(top, Infinity);
        }
        expect(drained).toEqual([...at.values()].sort((x, y) => x - y));
        // Drained, the heap holds nothing: the removed items left it as they reached the top.
        expect(items.filter((x) => x.hi >= 0)).toHaveLength(0);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('takes NaN as no instant: the top settles instead of spinning (NaN !== NaN)', () => {
    const heap = new TimedHeap();
    const a: Timed = { hi: -1, at: Infinity, fire: () => {} };
    const b: Timed = { hi: -1, at: Infinity, fire: () => {} };
    heap.set(a, NaN);
    expect(heap.top()).toBe(Infinity);
    heap.set(a, 5);
    heap.set(b, 7);
    heap.set(a, NaN);
    expect(heap.top()).toBe(7);
    expect(heap.peek()).toBe(b);
  });
});
