// The context history (setContext / identify) replayed by setRules, checked against the naive
// model in test/model: rules.md 1.1 and 4 ("The past"). A replay equals a from-scratch
// evaluation, context given later takes effect at the instant it is set, and `hold` reads when a
// condition was true, for the calls the rules retain (retain.for, the newest retain.events, at most
// 1,000: docs/rules.md).
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/index.js';
import type { RuleSet } from '../src/index.js';
import { runScenario } from './model/runScenario.js';
import type { Step } from './model/scenario.js';
import { T0 } from './helpers/fakeClock.js';
import { ch, harness, one, ruleSet } from './helpers/setup.js';

const plain = ruleSet({ x: { context: 'x', exists: true } });
const run = (rules: RuleSet, steps: Step[], context?: Record<string, number>) =>
  runScenario({ timeZone: 'UTC', base: T0, anonymousId: 'a', rules, steps, ...(context && { context }) }, createEngine);
const calls = (n: number, patch: (i: number) => Record<string, number>): Step[] => Array.from({ length: n }, (_, i) => ({ do: 'setContext', patch: patch(i) }));

describe('context history: setRules after many setContext calls', () => {
  // a=1 and b=1 never hold at the same time. Folding the superseded values (b=1, a=1) into the
  // starting values made them look true together from the origin; a fold now keeps the state of
  // its newest folded call, which really held, so 2,100 calls later they still never meet.
  const both = one({ all: [{ context: 'a', eq: 1 }, { context: 'b', eq: 1 }] }, { hold: '1d' });
  const apart: Step[] = [
    { do: 'setContext', patch: { b: 1 } }, { do: 'advance', by: 1 },
    { do: 'setContext', patch: { b: 0 } }, { do: 'advance', by: 1 },
    { do: 'setContext', patch: { a: 1 } }, { do: 'advance', by: 1 },
    { do: 'setContext', patch: { a: 0 } }, { do: 'advance', by: 1 },
  ];

  it('no enter for values that were never true together (engine equals the model)', () => {
    run(plain, [...apart, ...calls(2100, (i) => ({ x: i })), { do: 'setRules', rules: both }]);
  });

  it('the same, spelled out: the hold segment does not enter', () => {
    const h = harness(plain);
    for (const [i, p] of ([{ b: 1 }, { b: 0 }, { a: 1 }, { a: 0 }] as Record<string, number>[]).entries()) { h.clock.set(T0 + i); h.engine.setContext(p); }
    for (let i = 0; i < 2100; i++) h.engine.setContext({ x: i });
    // x is not in the new rules: it exits; s does not enter.
    expect(h.engine.setRules(both)).toEqual([ch('x', false, T0 + 3)]);
    expect(h.engine.has('s')).toBe(false);
  });

  // k=1 from the origin, ended once by k=2 (its hold runs for a day), then 999 calls: 600 other keys
  // set once each and 399 changes of one more. The old fold kept the last change of at most 1,000
  // keys past 2,000 calls; now the newest 1,000 calls keep their instants, whatever their keys.
  const held = one({ context: 'k', eq: 1 }, { hold: '1d' });
  const others = (n: number) => [...calls(600, (i) => ({ [`o${i}`]: 1 })), ...calls(n - 600, (i) => ({ x: i }))];
  const buried = (n: number): Step[] => [{ do: 'advance', by: 1 }, { do: 'setContext', patch: { k: 2 } }, ...others(n), { do: 'setRules', rules: held }];
  const replayHeld = (n: number) => {
    const h = harness(held, { context: { k: 1 } });
    h.clock.set(T0 + 1);
    h.engine.setContext({ k: 2 });
    for (const x of others(n)) h.engine.setContext((x as { patch: Record<string, number> }).patch);
    return { h, changes: h.engine.setRules(held) };
  };

  for (const n of [999, 1000, 2100]) {
    it(`k=2 then ${n} calls of other keys: engine equals the model`, () => run(held, buried(n), { k: 1 }));
  }

  it('a running hold whose cause is among the newest 1,000 calls survives the replay, until the hold ends', () => {
    const { h, changes } = replayHeld(999);
    expect(changes).toEqual([]);
    expect(h.engine.explain('s').holdUntil).toBe(T0 + 1 + 86_400_000);
    expect(h.engine.nextChange()).toBe(T0 + 1 + 86_400_000);
    h.clock.set(T0 + 1 + 86_400_000);
    expect(h.engine.tick()).toEqual([ch('s', false, T0 + 1 + 86_400_000)]);
  });

  it('one call more: k=2 counts from the origin, as an event that left the log, and the hold is not restored', () => {
    const { h, changes } = replayHeld(1000);
    expect(changes).toEqual([ch('s', false, T0 + 1)]);
    expect(h.engine.explain('s').holdUntil).toBe(null);
  });
});

describe('context history is retained like the event log (docs/rules.md)', () => {
  // s holds for a day after `a` is first set: the instant `a` was set is what the replay reads.
  const before = (retain: RuleSet['retain']) => ruleSet({ x: { context: 'x', exists: true } }, { retain });
  const after = (retain: RuleSet['retain'], hold: string) => ruleSet({ x: { context: 'x', exists: true }, s: { when: { context: 'a', exists: false }, hold } }, { retain });

  describe('by count: the newest retain.events calls keep their instants, older ones count from the origin', () => {
    const steps = (others: number): Step[] => [
      { do: 'advance', by: 1 }, { do: 'setContext', patch: { a: 1 } }, ...calls(others, (i) => ({ x: i })), { do: 'setRules', rules: after({ events: 50 }, '1d') },
    ];

    for (const others of [49, 50, 60]) {
      it(`a=1 then ${others} calls, retain.events 50: engine equals the model`, () => run(before({ events: 50 }), steps(others)));
    }

    it('a=1 among the newest 50: the hold it ended is restored; one call more: a counts from the origin', () => {
      const replay = (others: number) => {
        const h = harness(before({ events: 50 }));
        h.clock.set(T0 + 1);
        h.engine.setContext({ a: 1 });
        for (let i = 0; i < others; i++) h.engine.setContext({ x: i });
        return h.engine.setRules(after({ events: 50 }, '1d'));
      };
      expect(replay(49)).toEqual([ch('s', true, T0 + 1)]);
      expect(replay(50)).toEqual([]);
    });
  });

  describe('by age: a change is kept while now - t < retain.for', () => {
    // Live (rules with s from the start) against a replay (s added by setRules at `at`). The
    // engines start 2h before T0; their first 1,300 calls have aged out by T0 + 1, so the call that
    // sets a=1 folds them (once more than an eighth of retain.events, 1,250, are due).
    const compare = (hold: string, at: number) => {
      const start = T0 - 7_200_000;
      const live = harness(after({ for: '1h' }, hold), { start });
      const replayed = harness(before({ for: '1h' }), { start });
      for (const h of [live, replayed]) {
        for (let i = 0; i < 1300; i++) { h.clock.set(start + i * 2000); h.engine.setContext({ x: i }); }
        h.clock.set(T0 + 1);
        h.engine.setContext({ a: 1 });
        for (let i = 0; i < 100; i++) { h.clock.set(T0 + 2 + i * 1000); h.engine.setContext({ x: i }); }
        h.clock.set(at);
        h.engine.tick();
      }
      replayed.engine.setRules(after({ for: '1h' }, hold));
      return { live: live.engine.explain('s'), replayed: replayed.engine.explain('s') };
    };

    it('a hold as long as retain.for: the replay equals live evaluation on both sides of the boundary', () => {
      for (const at of [T0 + 3_600_000, T0 + 3_600_001, T0 + 3_600_002]) {
        const { live, replayed } = compare('1h', at);
        expect([replayed.member, replayed.holdUntil]).toEqual([live.member, live.holdUntil]);
      }
      expect(compare('1h', T0 + 3_600_000).replayed.holdUntil).toBe(T0 + 1 + 3_600_000);
    });

    it('a hold longer than retain.for (a validation warning): a change older than retain.for counts from the origin', () => {
      expect(compare('2h', T0 + 3_600_000).replayed.holdUntil).toBe(T0 + 1 + 7_200_000);
      const { live, replayed } = compare('2h', T0 + 3_600_001);
      expect([live.member, live.holdUntil]).toEqual([true, T0 + 1 + 7_200_000]);
      expect([replayed.member, replayed.holdUntil]).toEqual([false, null]);
    });
  });

  // Random context and trait changes under holds that reach no further back than retain.for
  // (100 ms; s3 reads s2, so their holds add up to 100): replaying the same rules changes nothing.
  const rules: RuleSet = {
    version: 1,
    retain: { for: 100 },
    segments: {
      s1: { when: { context: 'a', eq: 1 }, hold: 100 },
      s2: { when: { all: [{ context: 'a', eq: 2 }, { trait: 'b', eq: 1 }] }, hold: 60 },
      s3: { when: { segment: 's2' }, hold: 40 },
      s4: { when: { context: 'c', exists: false }, hold: 100 },
      s5: { when: { any: [{ context: 'c', eq: 1 }, { trait: 'b', exists: false }] }, hold: 99 },
    },
  };
  for (const seed of [1, 2, 3]) {
    it(`replays within retain.for equal live evaluation and the model (seed ${seed})`, () => {
      let x = seed;
      const r = (n: number) => { x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0; return x % n; };
      const value = (): number | null => (r(4) === 3 ? null : r(3));
      const steps: Step[] = [];
      for (let i = 0; i < 3000; i++) {
        const u = r(100);
        if (u < 35) steps.push({ do: 'setContext', patch: r(2) ? { a: value() } : { c: value() } });
        else if (u < 45) steps.push({ do: 'identify', userId: r(4) ? 'u' : null, traits: { b: value() } });
        else if (u < 90) steps.push({ do: 'advance', by: r(3) ? r(40) : 'next' });
        else steps.push({ do: 'setRules', rules });
      }
      run(rules, steps);
      const h = harness(rules);
      for (const step of steps) {
        if (step.do === 'setContext') h.engine.setContext(step.patch);
        else if (step.do === 'identify') h.engine.identify(step.userId, step.traits);
        else if (step.do === 'advance') h.clock.set(typeof step.by === 'number' ? h.clock.now() + step.by : h.engine.nextChange() ?? h.clock.now() + 7);
        else {
          h.engine.tick();
          const live = Object.keys(rules.segments).map((id) => h.engine.explain(id).holdUntil);
          expect(h.engine.setRules(rules)).toEqual([]);
          expect(Object.keys(rules.segments).map((id) => h.engine.explain(id).holdUntil)).toEqual(live);
        }
      }
    });
  }
});
