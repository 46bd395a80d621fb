import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEngine, validateRules } from '../src/index.js';
import type { Condition, RuleSet } from '../src/index.js';
import { runScenario } from './model/runScenario.js';
import { scenario, type Scenario, type Step } from './model/scenario.js';

// The generators of property.test.ts extended to what they never produce (found by a coverage audit of them).
const seed = process.env.SEGLET_SEED === undefined ? undefined : Number(process.env.SEGLET_SEED);
const path = process.env.SEGLET_PATH;
const factor = Number(process.env.SEGLET_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.round(n * factor), ...(seed !== undefined && { seed }), ...(path !== undefined && { path, endOnFailure: true }) });
const only = process.env.SEGLET_ONLY;
const maybeIt = (name: string, f: () => void) => (only === undefined || name.includes(only) ? it(name, f) : it.skip(name, f));

const printable = (s: Scenario): Scenario => Object.assign(s, { [fc.toStringMethod]: () => JSON.stringify(s, null, 1) });

/** Inserts `extra` steps at random positions of the scenario's steps. */
const inject = (base: fc.Arbitrary<Scenario>, extra: fc.Arbitrary<Step>, max = 6): fc.Arbitrary<Scenario> =>
  fc.tuple(base, fc.array(fc.tuple(fc.nat(), extra), { maxLength: max })).map(([s, xs]) => {
    const steps = [...s.steps];
    for (const [pos, step] of xs) steps.splice(pos % (steps.length + 1), 0, step);
    return printable({ ...s, steps });
  });

/** Every duration (number or string) found in the rule set's windows, afters, holds. */
function durationsIn(rules: RuleSet): (number | string)[] {
  const out: (number | string)[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (x === null || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    for (const k of ['within', 'after', 'hold']) if (o[k] !== undefined && o[k] !== 'session') out.push(o[k] as number | string);
    Object.values(o).forEach(walk);
  };
  walk(rules.segments);
  return out;
}

describe('engine equals the naive model where property.test.ts never goes', () => {
  maybeIt('clock going backwards (treated as standing still, docs/rules.md)', () => {
    const back = fc.record({ do: fc.constant('advance' as const), by: fc.oneof(fc.integer({ min: -60, max: -1 }), fc.constant(-0.5), fc.integer({ min: -500, max: -100 })) });
    fc.assert(fc.property(inject(scenario({ timeHeavy: true, steps: 25 }), back), (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('huge time gaps (> 2^31 ms) with ms-scale rules', () => {
    const big = fc.record({ do: fc.constant('advance' as const), by: fc.constantFrom(2 ** 31, 2 ** 31 + 1, 2 ** 31 - 1, 2 ** 32 + 7, 2 ** 35, 90 * 86_400_000 - 1, 90 * 86_400_000) });
    fc.assert(fc.property(inject(scenario({ timeHeavy: true, steps: 20 }), big, 3), (s) => runScenario(s, createEngine)), runs(200));
  });

  maybeIt('day-scale rules (durations in d, windows and holds > 2^31 ms)', () => {
    fc.assert(fc.property(scenario({ unit: 86_400_000, timeHeavy: true, steps: 15 }), (s) => runScenario(s, createEngine)), runs(60));
  });

  maybeIt('boundary lattice: every duration, offset and clock move a multiple of 5 ms', () => {
    fc.assert(fc.property(scenario({ unit: 5, timeHeavy: true, steps: 30 }), (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('tight retention (1-3 events, retain.for equal to a window of the rules)', () => {
    const arb = fc.tuple(scenario({ timeHeavy: true, steps: 30 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.boolean()).map(([s, events, k, byAge]) => {
      const ds = durationsIn(s.rules).filter((d) => d !== 0 && d !== '0ms');
      const forD = byAge && ds.length > 0 ? ds[k % ds.length]! : 300;
      const rules = { ...s.rules, retain: { events, for: forD } };
      const steps = s.steps.map((x) => (x.do === 'setRules' ? { ...x, rules: { ...x.rules, retain: { events, for: forD } } } : x));
      return printable({ ...s, rules, steps });
    });
    fc.assert(fc.property(arb, (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('hold chains (segments holding references to held segments)', () => {
    const link = fc.record({
      shape: fc.constantFrom('ref', 'not', 'and-first', 'or-first'),
      hold: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom(1, 2, 0)),
    });
    const arb = fc.tuple(scenario({ timeHeavy: true, steps: 30 }), fc.array(link, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([s, links, reverse]) => {
      const add = (rules: RuleSet): RuleSet => {
        const first = Object.keys(rules.segments)[0]!;
        const chain: [string, { when: Condition; hold: number }][] = [];
        let prev = first;
        links.forEach((l, i) => {
          const id = `h${i}`;
          const ref: Condition = { segment: prev };
          const when: Condition = l.shape === 'ref' ? ref : l.shape === 'not' ? { not: ref }
            : l.shape === 'and-first' ? { all: [ref, { segment: first }] } : { any: [ref, { not: { segment: first } }] };
          chain.push([id, { when, hold: l.hold }]);
          prev = id;
        });
        if (reverse) chain.reverse();
        return { ...rules, segments: { ...rules.segments, ...Object.fromEntries(chain) } };
      };
      return printable({ ...s, rules: add(s.rules), steps: s.steps.map((x) => (x.do === 'setRules' ? { ...x, rules: add(x.rules) } : x)) });
    });
    fc.assert(fc.property(arb, (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('identical timestamps: bursts of events at one instant, late into the past', () => {
    const burst = fc.tuple(fc.integer({ min: 2, max: 5 }), fc.constantFrom('page_view', 'add_to_cart', 'purchase', 'custom'), fc.integer({ min: -30, max: 0 }))
      .map(([n, type, dt]) => ({ do: 'track' as const, type, dt, props: { value: n } }));
    const arb = fc.tuple(scenario({ timeHeavy: true, steps: 20 }), fc.array(fc.tuple(fc.nat(), burst), { maxLength: 4 })).map(([s, bs]) => {
      const steps = [...s.steps];
      for (const [pos, b] of bs) {
        const many = Array.from({ length: b.props.value }, (_, i) => ({ ...b, props: { value: i } }));
        steps.splice(pos % (steps.length + 1), 0, ...many);
      }
      return printable({ ...s, steps });
    });
    fc.assert(fc.property(arb, (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('event types named like Object.prototype members (__proto__, constructor)', () => {
    const arb = fc.tuple(scenario({ steps: 25 }), fc.constantFrom('__proto__', 'constructor', 'tostring', 'hasownproperty')).map(([s, name]) => {
      const { [fc.toStringMethod]: _drop, ...plain } = s as Scenario & Record<symbol, unknown>;
      return printable(JSON.parse(JSON.stringify(plain).replaceAll('"custom"', JSON.stringify(name))) as Scenario);
    });
    fc.assert(fc.property(arb, (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('zero and one-ms durations (within 0/1, retain.for 0/1, after 0, hold 0/1)', () => {
    const arb = fc.tuple(scenario({ timeHeavy: true, steps: 25 }), fc.record({ within: fc.constantFrom(null, 0, 1), retainFor: fc.constantFrom(null, 0, 1, 2), hold: fc.constantFrom(null, 0, 1), after: fc.constantFrom(null, 0, 1) }))
      .map(([s, z]) => {
        const fix = (rules: RuleSet): RuleSet => {
          const walk = (x: unknown): unknown => {
            if (Array.isArray(x)) return x.map(walk);
            if (x === null || typeof x !== 'object') return x;
            const o = Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
            if (z.within !== null && o.within !== undefined && o.within !== 'session') o.within = z.within;
            if (z.after !== null && o.after !== undefined) o.after = z.after;
            return o;
          };
          const segments = Object.fromEntries(Object.entries(rules.segments).map(([id, r]) => [id, { ...(walk(r) as object), ...(z.hold !== null && { hold: z.hold }) }])) as RuleSet['segments'];
          return { ...rules, segments, ...(z.retainFor !== null && { retain: { ...rules.retain, for: z.retainFor } }) };
        };
        return printable({ ...s, rules: fix(s.rules), steps: s.steps.map((x) => (x.do === 'setRules' ? { ...x, rules: fix(x.rules) } : x)) });
      });
    fc.assert(fc.property(arb, (s) => runScenario(s, createEngine)), runs(300));
  });

  maybeIt('operators the generators never put on since, session duration, bucket, score and cluster', () => {
    const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'prefix', 'suffix', 'contains', 'glob', 'exists'];
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !OPS.includes(k)));
    const small = fc.integer({ min: 0, max: 40 });
    const rare = {
      since: fc.oneof(fc.array(small, { minLength: 1, maxLength: 3 }).map((xs) => ({ in: xs })), fc.boolean().map((exists) => ({ exists })),
        fc.tuple(small, small).map(([a, b]) => ({ ne: a, gte: Math.min(a, b) })), fc.constant({ eq: Infinity }), fc.constant({ in: [] })),
      duration: fc.oneof(fc.array(small, { minLength: 1, maxLength: 3 }).map((xs) => ({ in: xs })), fc.boolean().map((exists) => ({ exists }))),
      bucket: fc.oneof(fc.constantFrom(0, 0.25, 0.5).map((gt) => ({ gt })), fc.constantFrom(0.25, 0.5, 1).map((lte) => ({ lte })), fc.boolean().map((exists) => ({ exists })), fc.constant({ ne: 0.5 })),
      score: fc.oneof(fc.integer({ min: -3, max: 6 }).map((eq) => ({ eq })), fc.integer({ min: -3, max: 6 }).map((ne) => ({ ne })), fc.array(fc.integer({ min: -3, max: 6 }), { maxLength: 3 }).map((xs) => ({ in: xs })), fc.boolean().map((exists) => ({ exists }))),
      cluster: fc.boolean().map((exists) => ({ exists })),
    };
    const arb = fc.tuple(scenario({ timeHeavy: true, steps: 30 }), fc.infiniteStream(fc.record(rare))).map(([s, stream]) => {
      const fix = (rules: RuleSet): RuleSet => {
        const walk = (x: unknown): unknown => {
          if (Array.isArray(x)) return x.map(walk);
          if (x === null || typeof x !== 'object') return x;
          const o = Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, k === 'score' || k === 'cluster' ? v : walk(v)]));
          const r = stream.next().value;
          if ('since' in o && !('weight' in o)) return { ...strip(o), ...r.since };
          if (o.session === 'duration') return { ...strip(o), ...r.duration };
          if ('bucket' in o) return { ...strip(o), ...r.bucket };
          if ('score' in o) {
            const sc = { ...(o.score as object), link: 'linear' };
            return { ...strip(o), score: sc, ...r.score };
          }
          if ('cluster' in o) return { ...strip(o), ...r.cluster };
          return o;
        };
        return { ...rules, segments: walk(rules.segments) as RuleSet['segments'] };
      };
      return printable({ ...s, rules: fix(s.rules), steps: s.steps.map((x) => (x.do === 'setRules' ? { ...x, rules: fix(x.rules) } : x)) });
    });
    fc.assert(fc.property(arb, (s) => {
      const bad = [s.rules, ...s.steps.flatMap((x) => (x.do === 'setRules' ? [x.rules] : []))].find((r) => !validateRules(r).ok);
      fc.pre(bad === undefined);
      runScenario(s, createEngine);
    }), runs(300));
  });
});
