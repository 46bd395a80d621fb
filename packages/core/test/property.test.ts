import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, cutString, SegletError } from '../src/index.js';
import type { PropValue, RuleSet } from '../src/index.js';
import { CHARS } from './model/ruleArbitraries.js';
import { runScenario } from './model/runScenario.js';
import { scenario } from './model/scenario.js';
import { scoreRuleSet } from './model/scoreArbitraries.js';

// Reproduce a failure with SEGLET_SEED=<seed> (and SEGLET_PATH=<path>) from fast-check's report.
const seed = process.env.SEGLET_SEED === undefined ? undefined : Number(process.env.SEGLET_SEED);
const path = process.env.SEGLET_PATH;
// SEGLET_RUNS=<factor> multiplies the number of runs, to hunt for bugs locally.
const factor = Number(process.env.SEGLET_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.round(n * factor), ...(seed !== undefined && { seed }), ...(path !== undefined && { path, endOnFailure: true }) });

describe('engine equals the naive model', () => {
  it('on random rule sets, event streams and clock moves', () => {
    fc.assert(fc.property(scenario(), (s) => runScenario(s, createEngine)), runs(400));
  });

  it('when time does most of the work (windows, since, abandoned, hold, retention)', () => {
    fc.assert(fc.property(scenario({ timeHeavy: true, steps: 30 }), (s) => runScenario(s, createEngine)), runs(250));
  });

  it('with many events per millisecond (ties, late events, retention by count)', () => {
    fc.assert(fc.property(scenario({ dense: true, steps: 30 }), (s) => runScenario(s, createEngine)), runs(150));
  });

  it('on hour and day scales (durations in seconds and minutes, clock jumps of hours, DST)', () => {
    fc.assert(fc.property(fc.constantFrom(1000, 60_000).chain((unit) => scenario({ unit, timeHeavy: true, steps: 20 })), (s) => runScenario(s, createEngine)), runs(150));
  });

  it('for scores and clusters of since terms (thresholds crossed between named durations)', () => {
    const withScores = fc.tuple(scenario({ timeHeavy: true, steps: 30 }), scoreRuleSet)
      .map(([s, rules]) => {
        const sc = { ...s, rules, steps: s.steps.filter((x) => x.do !== 'setRules') };
        return Object.assign(sc, { [fc.toStringMethod]: () => JSON.stringify(sc, null, 1) });
      });
    fc.assert(fc.property(withScores, (s) => runScenario(s, createEngine)), runs(100));
  });

  it('across rule changes and replays', () => {
    fc.assert(fc.property(scenario({ rulesChanges: true, steps: 15 }), (s) => runScenario(s, createEngine)), runs(200));
  });

  it('across rule changes after many context changes (the history retained like the log)', () => {
    // Rule sets on context and traits alone, with holds of up to 120 ms and a small retain (1-6
    // calls, 5-80 ms): replays fold context changes by count and by age, and the holds often
    // reach past what is retained.
    const leaf = fc.oneof(
      fc.constantFrom('mobile', 'desktop').map((eq) => ({ context: 'device', eq })), fc.boolean().map((eq) => ({ context: 'flag', eq })),
      fc.boolean().map((exists) => ({ context: 'lang', exists })), fc.constantFrom('gold', 'silver').map((eq) => ({ trait: 'tier', eq })),
      fc.boolean().map((exists) => ({ trait: 'vip', exists })), fc.integer({ min: 0, max: 60 }).map((gte) => ({ trait: 'age', gte })),
    );
    const when = fc.oneof(leaf, fc.tuple(leaf, leaf).map((all) => ({ all })), fc.tuple(leaf, leaf).map((any) => ({ any })), leaf.map((not) => ({ not })));
    const rules: fc.Arbitrary<RuleSet> = fc.record({
      segs: fc.array(fc.record({ when, hold: fc.integer({ min: 0, max: 120 }) }), { minLength: 1, maxLength: 3 }),
      ref: fc.boolean(),
      retain: fc.record({ events: fc.integer({ min: 1, max: 6 }), for: fc.integer({ min: 5, max: 80 }) }),
    }).map(({ segs, ref, retain }) => {
      const segments: RuleSet['segments'] = Object.fromEntries(segs.map((x, i) => [`s${i}`, x]));
      if (ref) segments.r = { when: { any: [{ segment: 's0' }, { context: 'flag', eq: true }] }, hold: 30 };
      return { version: 1, retain, segments };
    });
    const retained = fc.tuple(scenario({ rulesChanges: true, contextHeavy: true, steps: 40 }), rules, fc.array(rules, { minLength: 40, maxLength: 40 }))
      .map(([s, first, next]) => {
        const sc = { ...s, rules: first, steps: s.steps.map((x, i) => (x.do === 'setRules' ? { ...x, rules: next[i]! } : x)) };
        return Object.assign(sc, { [fc.toStringMethod]: () => JSON.stringify(sc, null, 1) });
      });
    fc.assert(fc.property(retained, (s) => runScenario(s, createEngine)), runs(150));
  });
});

describe('string limits count UTF-16 code units (spec 5, Limits), whatever the characters', () => {
  // Around 512 code units of BMP, astral and lone-surrogate characters (1 or 2 units each).
  const near = fc.tuple(fc.array(fc.constantFrom<string>(...CHARS), { minLength: 1, maxLength: 6 }), fc.integer({ min: 500, max: 516 }))
    .map(([cs, n]) => { let out = ''; for (let i = 0; out.length < n; i++) out += cs[i % cs.length]; return out; });
  const code = (f: () => unknown): string | null => {
    try { f(); return null; } catch (e) { return e instanceof SegletError ? e.code : 'other'; }
  };
  const rules = { version: 1, segments: { s: { when: { count: '*', gte: 1 } }, t: { when: { trait: 'k', exists: true } } } } as const;

  it('a string value (alone or in an array) is accepted iff its JavaScript length is at most 512', () => {
    fc.assert(fc.property(near, fc.boolean(), (str, inArray) => {
      const ok = str.length <= 512;
      const v: PropValue = inArray ? ['x', str] : str;
      const engine = createEngine({ rules, now: () => 1000 });
      expect(code(() => engine.track('x', { k: v }))).toBe(ok ? null : 'invalid_event');
      expect(engine.events().length).toBe(ok ? 1 : 0);
      expect(code(() => engine.setContext({ k: v }))).toBe(ok ? null : 'invalid_value');
      expect(code(() => engine.identify('u', { k: v }))).toBe(ok ? null : 'invalid_value');
      expect(engine.has('t')).toBe(ok);
      const errors: string[] = [];
      const restored = createEngine({ rules, now: () => 1000, events: [{ type: 'x', t: 900, props: { k: v } }], onError: (e) => errors.push(e.code) });
      expect(errors).toEqual(ok ? [] : ['invalid_event']);
      expect(restored.has('s')).toBe(ok);
      expect(code(() => createEngine({ rules, now: () => 1000, context: { k: v } }))).toBe(ok ? null : 'invalid_value');
    }), runs(200));
  });

  it('cutString keeps a string of at most 512 units and cuts a longer one to 512, or 511 rather than split a pair', () => {
    fc.assert(fc.property(near, (str) => {
      const cut = cutString(str);
      const high = (i: number) => str.charCodeAt(i) >= 0xd800 && str.charCodeAt(i) <= 0xdbff;
      const low = (i: number) => str.charCodeAt(i) >= 0xdc00 && str.charCodeAt(i) <= 0xdfff;
      expect(str.startsWith(cut)).toBe(true);
      if (str.length <= 512) expect(cut).toBe(str);
      else expect(cut.length === 512 || (cut.length === 511 && high(511) && low(512))).toBe(true);
      // never the first half of a pair without its second
      expect(high(cut.length - 1) && low(cut.length)).toBe(false);
    }), runs(500));
  });
});
