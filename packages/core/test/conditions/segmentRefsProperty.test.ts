import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Change, Condition, RuleSet } from '../../src/index.js';
import { MIN, T0 } from '../helpers/fakeClock.js';

// A from-scratch evaluator for a small language (count within a window, segment references, all/any/not)
// and a random comparison against the engine: after every call, members() must equal the from-scratch
// answer, and every reported change must flip the membership it names (no duplicates, no phantoms).

type Ev = { type: string; t: number };
type C = { k: 'count'; type: string; within: number; gte: number } | { k: 'seg'; j: number } | { k: 'not'; c: C } | { k: 'all' | 'any'; c: C[] };

const TYPES = ['a', 'b', 'c'];
const WINDOWS = [10 * MIN, 30 * MIN, 60 * MIN];

function condArb(i: number, n: number, depth: number): fc.Arbitrary<C> {
  const leaves: fc.Arbitrary<C>[] = [
    fc.record({ k: fc.constant('count' as const), type: fc.constantFrom(...TYPES), within: fc.constantFrom(...WINDOWS), gte: fc.integer({ min: 1, max: 3 }) }),
  ];
  if (i + 1 < n) leaves.push(fc.integer({ min: i + 1, max: n - 1 }).map((j) => ({ k: 'seg' as const, j })));
  const leaf = fc.oneof(...leaves);
  if (depth === 0) return leaf;
  const sub = condArb(i, n, depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 1, arbitrary: sub.map((c) => ({ k: 'not' as const, c })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((c) => ({ k: 'all' as const, c })) },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 3 }).map((c) => ({ k: 'any' as const, c })) },
  );
}

const id = (j: number) => `s${j}`;

function toRule(c: C): Condition {
  switch (c.k) {
    case 'count': return { count: c.type, within: c.within, gte: c.gte };
    case 'seg': return { segment: id(c.j) };
    case 'not': return { not: toRule(c.c) };
    default: return c.k === 'all' ? { all: c.c.map(toRule) } : { any: c.c.map(toRule) };
  }
}

function holds(c: C, conds: C[], events: Ev[], now: number): boolean {
  switch (c.k) {
    case 'count': return events.filter((e) => e.type === c.type && now - c.within < e.t && e.t <= now).length >= c.gte;
    case 'seg': return holds(conds[c.j] as C, conds, events, now);
    case 'not': return !holds(c.c, conds, events, now);
    case 'all': return c.c.every((x) => holds(x, conds, events, now));
    default: return c.c.some((x) => holds(x, conds, events, now));
  }
}

const scenario = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    conds: fc.tuple(...Array.from({ length: n }, (_, i) => condArb(i, n, 2))),
    order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    steps: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 40 * MIN }), type: fc.constantFrom(...TYPES, 'tick') }), { minLength: 1, maxLength: 25 }),
  }),
);

describe('segment references and boolean structure against a from-scratch evaluation', () => {
  it('members() equals the from-scratch answer and every change flips its segment', () => {
    fc.assert(
      fc.property(scenario, ({ conds, order, steps }) => {
        const segments: RuleSet['segments'] = {};
        for (const i of order) segments[id(i)] = { when: toRule(conds[i] as C) };
        let now = T0;
        const engine = createEngine({ rules: { version: 1, segments }, now: () => now, timeZone: 'UTC', anonymousId: 'p' });
        const events: Ev[] = [];
        const expected = () => order.filter((i) => holds(conds[i] as C, conds as C[], events, now)).map(id);
        let state = new Set(engine.members());
        expect([...state]).toEqual(expected());
        for (const { dt, type } of steps) {
          now += dt;
          let changes: Change[];
          if (type === 'tick') changes = engine.tick();
          else {
            events.push({ type, t: now });
            changes = engine.track(type);
          }
          for (const c of changes) {
            expect(state.has(c.segment), `change ${JSON.stringify(c)} does not flip`).toBe(!c.member);
            if (c.member) state.add(c.segment);
            else state.delete(c.segment);
          }
          state = new Set(order.map(id).filter((s) => state.has(s)));
          expect(engine.members()).toEqual(expected());
          expect([...state]).toEqual(expected());
        }
      }),
      {
        numRuns: 300,
        seed: 20261129,
        examples: [[{
          conds: [
            { k: 'all', c: [{ k: 'count', type: 'a', within: 10 * MIN, gte: 1 }, { k: 'not', c: { k: 'seg', j: 1 } }] },
            { k: 'seg', j: 2 },
            { k: 'count', type: 'a', within: 10 * MIN, gte: 1 },
          ],
          order: [2, 1, 0],
          steps: [{ dt: 0, type: 'a' }],
        }]],
      },
    );
  });
});
