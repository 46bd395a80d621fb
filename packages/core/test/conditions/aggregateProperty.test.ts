import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Condition, PropValue, RuleSet } from '../../src/index.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

// Aggregates, since and abandoned over windows, with late events, equal times and retention by count and
// by age, against a from-scratch evaluation of the retained log at every call.

type Ev = { type: string; t: number; seq: number; v: PropValue | undefined };
const KEEP_FOR = 2 * HOUR;

const nums = (v: PropValue | undefined): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

type Spec =
  | { k: 'sum' | 'min' | 'max' | 'avg' | 'distinct' | 'count'; within: number | null; op: 'gte' | 'lt'; x: number }
  | { k: 'last'; within: number | null; x: number }
  | { k: 'since'; op: 'gte' | 'lt'; d: number }
  | { k: 'abandoned'; after: number; within: number | null };

const within = fc.constantFrom(null, 10 * MIN, 30 * MIN, HOUR);
const specArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({ k: fc.constantFrom('sum' as const, 'min' as const, 'max' as const, 'avg' as const, 'distinct' as const, 'count' as const), within, op: fc.constantFrom('gte' as const, 'lt' as const), x: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ k: fc.constant('last' as const), within, x: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ k: fc.constant('since' as const), op: fc.constantFrom('gte' as const, 'lt' as const), d: fc.constantFrom(5 * MIN, 20 * MIN) }),
  fc.record({ k: fc.constant('abandoned' as const), after: fc.constantFrom(5 * MIN, 15 * MIN), within: fc.constantFrom(null, 30 * MIN) }),
);

function toRule(s: Spec): Condition {
  const w = 'within' in s && s.within !== null ? { within: s.within } : {};
  switch (s.k) {
    case 'count': return { count: 'a', ...w, [s.op]: s.x };
    case 'last': return { last: 'a', of: 'v', ...w, eq: s.x };
    case 'since': return { since: 'a', [s.op]: s.d };
    case 'abandoned': return { abandoned: 'add', unless: 'buy', after: s.after, ...(s.within === null ? {} : { within: s.within }) };
    default: return { [s.k]: 'a', of: 'v', ...w, [s.op]: s.x } as Condition;
  }
}

function holds(s: Spec, log: Ev[], now: number): boolean {
  const inWin = (e: Ev, w: number | null) => w === null || now - w < e.t;
  const test = (op: 'gte' | 'lt', v: number | null, x: number) => v !== null && (op === 'gte' ? v >= x : v < x);
  const a = log.filter((e) => e.type === 'a');
  switch (s.k) {
    case 'count': return test(s.op, a.filter((e) => inWin(e, s.within)).length, s.x);
    case 'last': {
      const w = a.filter((e) => inWin(e, s.within));
      const l = w.at(-1);
      if (!l) return false;
      const v = l.v ?? null;
      return Array.isArray(v) ? v.includes(s.x) : v === s.x;
    }
    case 'since': {
      const l = a.at(-1);
      const v = l ? now - l.t : Infinity;
      return s.op === 'gte' ? v >= s.d : v < s.d;
    }
    case 'abandoned': {
      const A = log.filter((e) => e.type === 'add').at(-1);
      if (!A || !inWin(A, s.within)) return false;
      return now - A.t >= s.after && !log.some((e) => e.type === 'buy' && e.t >= A.t);
    }
    default: {
      const w = a.filter((e) => inWin(e, s.within));
      if (s.k === 'distinct') {
        const set = new Set<unknown>();
        for (const e of w) for (const x of Array.isArray(e.v) ? e.v : [e.v]) if (x !== null && x !== undefined) set.add(x);
        return test(s.op, set.size, s.x);
      }
      const xs = w.flatMap((e) => nums(e.v));
      const v = s.k === 'sum' ? xs.reduce((p, q) => p + q, 0)
        : xs.length === 0 ? null
          : s.k === 'min' ? Math.min(...xs) : s.k === 'max' ? Math.max(...xs) : xs.reduce((p, q) => p + q, 0) / xs.length;
      return test(s.op, v, s.x);
    }
  }
}

const valueArb: fc.Arbitrary<PropValue | undefined> = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.constant(undefined),
  fc.constantFrom('2', null, true),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('x')), { maxLength: 3 }),
);

const scenario = fc.record({
  keep: fc.integer({ min: 2, max: 8 }),
  specs: fc.array(specArb, { minLength: 1, maxLength: 6 }),
  steps: fc.array(fc.record({
    dt: fc.integer({ min: 0, max: 40 }),
    type: fc.constantFrom('a', 'a', 'add', 'buy', 'tick'),
    late: fc.option(fc.integer({ min: 0, max: 60 }), { freq: 3 }),
    v: valueArb,
  }), { minLength: 1, maxLength: 25 }),
});

describe('aggregates, since and abandoned against a from-scratch evaluation', () => {
  it('members() after every call equals the from-scratch answer over the retained log', () => {
    fc.assert(
      fc.property(scenario, ({ keep, specs, steps }) => {
        const segments: RuleSet['segments'] = {};
        specs.forEach((s, i) => { segments[`s${i}`] = { when: toRule(s) }; });
        let now = T0;
        const engine = createEngine({ rules: { version: 1, retain: { events: keep, for: KEEP_FOR }, segments }, now: () => now, timeZone: 'UTC' });
        let log: Ev[] = [];
        let seq = 0;
        for (const { dt, type, late, v } of steps) {
          now += dt * MIN;
          if (type === 'tick') engine.tick();
          else {
            const t = late === null ? now : now - late * MIN;
            const props: Record<string, PropValue> = v === undefined ? {} : { v };
            log.push({ type, t, seq: ++seq, v });
            engine.track(type, props, { t });
          }
          log = log.sort((x, y) => x.t - y.t || x.seq - y.seq).filter((e) => now - e.t < KEEP_FOR).slice(-keep);
          const want = specs.flatMap((s, i) => (holds(s, log, now) ? [`s${i}`] : []));
          expect(engine.members()).toEqual(want);
          expect(engine.events().map((e) => e.t)).toEqual(log.map((e) => e.t));
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
