import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Change, Condition, RuleSet } from '../../src/index.js';
import { MIN, T0 } from '../helpers/fakeClock.js';

// With every event time, window, since operand and hold a whole number of minutes, every condition is
// constant on each minute [m, m + 1 min), so a from-scratch evaluation minute by minute is exact. The
// engine's full change log (each change at its own instant) must reproduce that timeline at every minute.

type C =
  | { k: 'count'; type: string; within: number; gte: number }
  | { k: 'since'; type: string; op: 'gte' | 'lt'; d: number }
  | { k: 'seg'; j: number }
  | { k: 'not'; c: C }
  | { k: 'all' | 'any'; c: C[] };
type Seg = { c: C; hold: number };
type Ev = { type: string; t: number };

const TYPES = ['a', 'b'];

function condArb(i: number, n: number, depth: number): fc.Arbitrary<C> {
  const leaves: fc.Arbitrary<C>[] = [
    fc.record({ k: fc.constant('count' as const), type: fc.constantFrom(...TYPES), within: fc.constantFrom(10 * MIN, 30 * MIN), gte: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ k: fc.constant('since' as const), type: fc.constantFrom(...TYPES), op: fc.constantFrom('gte' as const, 'lt' as const), d: fc.constantFrom(10 * MIN, 20 * MIN) }),
  ];
  if (i + 1 < n) leaves.push(fc.integer({ min: i + 1, max: n - 1 }).map((j) => ({ k: 'seg' as const, j })));
  const leaf = fc.oneof(...leaves);
  if (depth === 0) return leaf;
  const sub = condArb(i, n, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: sub.map((c) => ({ k: 'not' as const, c })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 2 }).map((c) => ({ k: 'all' as const, c })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 2 }).map((c) => ({ k: 'any' as const, c })) },
  );
}

const id = (j: number) => `s${j}`;

function toRule(c: C): Condition {
  switch (c.k) {
    case 'count': return { count: c.type, within: c.within, gte: c.gte };
    case 'since': return c.op === 'gte' ? { since: c.type, gte: c.d } : { since: c.type, lt: c.d };
    case 'seg': return { segment: id(c.j) };
    case 'not': return { not: toRule(c.c) };
    default: return c.k === 'all' ? { all: c.c.map(toRule) } : { any: c.c.map(toRule) };
  }
}

/**
 * Membership of every segment at every minute from T0 to `end`, with every condition evaluated from
 * scratch and `hold` applied as the spec states it: when the condition turns false at x, the exit is at
 * x + hold unless it holds again by then. Within one instant the states follow the spec's order: first
 * the time-driven state (events before the instant), then the state after each event of the instant in
 * arrival order, so a condition can be true for no time at all and still start a hold (spec 4, catch-up).
 */
function timeline(segs: Seg[], events: Ev[], end: number): boolean[][] {
  const n = segs.length;
  const member: boolean[] = segs.map(() => false);
  const cond: boolean[] = segs.map(() => false);
  const falseSince: (number | null)[] = segs.map(() => null);
  const out: boolean[][] = segs.map(() => []);
  const holds = (c: C, seen: Ev[], now: number): boolean => {
    switch (c.k) {
      case 'count': return seen.filter((e) => e.type === c.type && now - c.within < e.t).length >= c.gte;
      case 'since': {
        const last = seen.filter((e) => e.type === c.type).at(-1);
        const v = last ? now - last.t : Infinity;
        return c.op === 'gte' ? v >= c.d : v < c.d;
      }
      case 'seg': return member[c.j]!;
      case 'not': return !holds(c.c, seen, now);
      case 'all': return c.c.every((x) => holds(x, seen, now));
      default: return c.c.some((x) => holds(x, seen, now));
    }
  };
  const state = (seen: Ev[], now: number, first: boolean) => {
    // references only point to higher indexes: evaluate from the last segment down
    for (let i = n - 1; i >= 0; i--) {
      const c = holds(segs[i]!.c, seen, now);
      if (c) falseSince[i] = null;
      else if (cond[i] && !first) falseSince[i] = now;
      cond[i] = c;
      member[i] = c || (falseSince[i] !== null && now < falseSince[i]! + segs[i]!.hold);
    }
  };
  for (let m = 0; T0 + m * MIN <= end; m++) {
    const now = T0 + m * MIN;
    const before = events.filter((e) => e.t < now);
    state(before, now, m === 0);
    const at = events.filter((e) => e.t === now);
    for (let k = 1; k <= at.length; k++) state([...before, ...at.slice(0, k)], now, false);
    for (let i = 0; i < n; i++) out[i]![m] = member[i]!;
  }
  return out;
}

const scenario = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    segs: fc.tuple(...Array.from({ length: n }, (_, i) => fc.record({ c: condArb(i, n, 2), hold: fc.constantFrom(0, 0, 10 * MIN, 30 * MIN) }))),
    order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    steps: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 25 }).map((x) => x * MIN), type: fc.constantFrom(...TYPES, 'tick') }), { minLength: 1, maxLength: 20 }),
  }),
);

describe('hold, since, windows and references: the change log against a minute-by-minute evaluation', () => {
  it('every change happens at the instant the from-scratch timeline changes', () => {
    fc.assert(
      fc.property(scenario, ({ segs, order, steps }) => {
        const segments: RuleSet['segments'] = {};
        for (const i of order) {
          const s = segs[i]!;
          segments[id(i)] = s.hold ? { when: toRule(s.c), hold: s.hold } : { when: toRule(s.c) };
        }
        let now = T0;
        const engine = createEngine({ rules: { version: 1, segments }, now: () => now, timeZone: 'UTC', anonymousId: 'p' });
        const initial = new Set(engine.members());
        const log: Change[] = [];
        engine.subscribe((c) => log.push(c));
        const events: Ev[] = [];
        for (const { dt, type } of steps) {
          now += dt;
          if (type === 'tick') engine.tick();
          else {
            events.push({ type, t: now });
            engine.track(type);
          }
        }
        engine.tick();
        const want = timeline(segs as Seg[], events, now);
        const state = new Set(initial);
        let k = 0;
        for (let m = 0; T0 + m * MIN <= now; m++) {
          for (; k < log.length && log[k]!.t <= T0 + m * MIN; k++) {
            const c = log[k]!;
            expect(state.has(c.segment), `change ${JSON.stringify({ ...c, t: (c.t - T0) / MIN })} does not flip`).toBe(!c.member);
            if (c.member) state.add(c.segment);
            else state.delete(c.segment);
          }
          const got = order.filter((i) => state.has(id(i))).map(id);
          const exp = order.filter((i) => want[i]![m]).map(id);
          expect(got, `minute ${m}`).toEqual(exp);
        }
        expect(k).toBe(log.length);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
