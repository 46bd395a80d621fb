import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WindowLeaf } from '../../src/leaves/WindowLeaf.js';
import { createEngine } from '../../src/index.js';
import type { Timed } from '../../src/Timed.js';
import { TimedHeap } from '../../src/TimedHeap.js';
import { runScenario } from './runScenario.js';
import { scenario, type Scenario } from './scenario.js';
import { guardWakeups } from './wakeGuard.js';

/**
 * Network.advance's loop, over a heap holding one item whose wake-up re-arms it at `next(d)`:
 * with `next(d) = d` it never ends on its own, as a leaf re-armed at the instant it woke at
 * made the differential tests hang instead of fail. The guard ends it; `limit` ends a loop the
 * guard lets through.
 */
function spin(next: (d: number) => number, limit = 100): number {
  const heap = new TimedHeap();
  const item: Timed = { hi: -1, at: Infinity, fire: () => {} };
  heap.set(item, 5);
  let n = 0;
  for (let d = heap.top(); d <= 1000 && n < limit; d = heap.top()) {
    const due = heap.peek() as Timed;
    heap.set(due, Infinity);
    heap.set(due, next(d));
    n++;
  }
  return n;
}

describe('the wake-up guard of the differential tests', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('ends a loop whose wake-up does not move forward', () => {
    expect(() => guardWakeups(() => spin((d) => d, Infinity))).toThrow(/more than 10000 wake-ups at 5: a wake-up re-armed at the instant it woke at/);
  });

  it('ends a loop whose wake-up moves backwards', () => {
    expect(() => guardWakeups(() => spin((d) => d - 1))).toThrow(/a wake-up at 4 came after one at 5: time went backwards/);
  });

  it('ends a loop that moves forward but past its budget', () => {
    expect(() => guardWakeups(() => spin((d) => d + 1, Infinity), { atOnce: 10_000, total: 50 })).toThrow(/more than 50 wake-ups in one run/);
    expect(guardWakeups(() => spin((d) => d + 1, Infinity), { atOnce: 10_000, total: 996 })).toBe(996);
  });

  it('lets a loop that moves forward through, and guards nothing outside a run', () => {
    expect(guardWakeups(() => spin((d) => d + 10))).toBe(100);
    expect(spin((d) => d)).toBe(100);
    // a nested run has budgets of its own; the outer one is restored after it
    expect(() => guardWakeups(() => { guardWakeups(() => spin((d) => d + 1, 40)); spin((d) => d, Infinity); })).toThrow(/wake-ups at 5/);
  });

  it('turns an engine whose window edge does not move forward into a shrunk counterexample', () => {
    // The mutation that hung the differential tests: a window edge compared with >= instead of
    // > keeps an event exactly `within` old, so the count leaf is due again at the instant it woke at.
    const advance = WindowLeaf.prototype.advance;
    vi.spyOn(WindowLeaf.prototype, 'advance').mockImplementation(function (this: WindowLeaf, now) { advance.call(this, now - 1); });
    const s: Scenario = {
      timeZone: 'UTC', base: 1_000, anonymousId: 'a', steps: [{ do: 'track', type: 'page_view' }, { do: 'advance', by: 10 }, { do: 'tick' }],
      rules: { version: 1, segments: { a: { when: { count: 'page_view', within: '10ms', gte: 1 } } } },
    };
    expect(() => runScenario(s, createEngine)).toThrow(/wake-up guard: more than 10000 wake-ups at 1010/);
    const started = Date.now();
    let report = '';
    let cause = '';
    try {
      fc.assert(fc.property(scenario({ timeHeavy: true, steps: 10 }), (x) => runScenario(x, createEngine)), { seed: 1, numRuns: 100 });
    } catch (e) {
      report = String(e);
      cause = String((e as Error).cause);
    }
    expect(report).toMatch(/Counterexample/);
    expect(report).toMatch(/Shrunk \d+ time/);
    expect(cause).toMatch(/wake-up guard/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
