// Paths of the engine's internals that ordinary rule sets rarely reach: array compaction after
// many drops, exact summation corner cases, long context histories, the device classifier.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExactSum } from '../src/exactSum.js';
import { exactSum } from './model/exactSum.js';
import { createEngine, deviceType, type RuleSet } from '../src/index.js';
import { Builder } from '../src/Builder.js';
import { Sessions } from '../src/Sessions.js';
import { PointLeaf } from '../src/leaves/PointLeaf.js';
import { WindowLeaf } from '../src/leaves/WindowLeaf.js';

const T0 = Date.UTC(2026, 0, 5, 12);

describe('compaction after many drops', () => {
  it('keeps windows, extremes and the log right when thousands of events are dropped by count', () => {
    let now = T0;
    const rules: RuleSet = {
      version: 1,
      retain: { events: 5 },
      segments: {
        many: { when: { count: 'x', gte: 5 } },
        low: { when: { min: 'x', of: 'v', within: '1h', lte: 2 } },
        high: { when: { max: 'x', of: 'v', within: '1h', gte: 2095 } },
      },
    };
    const engine = createEngine({ rules, now: () => now, timeZone: 'UTC' });
    for (let i = 0; i < 2100; i++) {
      now += 1;
      engine.track('x', { v: i });
    }
    expect(engine.events()).toHaveLength(5);
    expect(engine.events()[0]?.props).toEqual({ v: 2095 });
    expect(engine.members()).toEqual(['many', 'high']);
    expect(engine.explain('low').condition.value).toBe(2095);
  });
});

describe('exact sums', () => {
  const sum = (xs: number[]) => {
    const s = new ExactSum();
    for (const x of xs) s.add(x);
    return s.value();
  };
  it('rounds the exact total once, half to even across partials', () => {
    expect(sum([1e16, 1, 1e-16])).toBe(10000000000000002);
    expect(sum([1, 1e100, 1, -1e100])).toBe(2);
    expect(sum([0.1, 0.2, 0.3, -0.6])).toBe(2.7755575615628914e-17);
  });
  it('equals the exactly rounded sum after every add and remove, whole numbers and fractions mixed', () => {
    const big = 2 ** 52;
    const value = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom(big, big - 1, -big, big + 2, 2 ** 53, -(2 ** 53), 3 * big, 1e300, -1e300, 1e-300, 5e-324),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -100_000, max: 100_000 }).map((c) => c / 100),
    );
    fc.assert(fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 40 }), (steps) => {
      const s = new ExactSum();
      const kept: number[] = [];
      for (const [x, removeOldest] of steps) {
        if (removeOldest && kept.length > 0) s.add(-(kept.shift() as number));
        else { s.add(x); kept.push(x); }
        expect(s.value()).toBe(exactSum(kept) + 0);
      }
    }), { numRuns: 2000 });
  });

  it('keeps tiny values exact and recovers from a total beyond the largest double', () => {
    expect(sum([1e-280, 1e-280])).toBe(2e-280);
    const s = new ExactSum();
    s.add(1e308);
    s.add(1e308);
    expect(s.value()).toBe(Infinity);
    s.add(-1e308);
    expect(s.value()).toBe(1e308);
    s.add(-1e308);
    s.add(-1e308);
    s.add(-1e308);
    expect(s.value()).toBe(-Infinity);
    s.clear();
    expect(s.value()).toBe(0);
  });
});

describe('tests with several operators', () => {
  it('all operators must hold', () => {
    const now = T0;
    const engine = createEngine({
      rules: { version: 1, segments: { mid: { when: { count: 'x', gte: 2, lte: 3, ne: 5 } } } },
      now: () => now,
      timeZone: 'UTC',
    });
    engine.track('x');
    expect(engine.has('mid')).toBe(false);
    engine.track('x');
    expect(engine.has('mid')).toBe(true);
    engine.track('x');
    engine.track('x');
    expect(engine.has('mid')).toBe(false);
  });
});

describe('long context histories', () => {
  it('folds the oldest of over 1,000 context changes into the base, and a replay still agrees', () => {
    let now = T0;
    const rules: RuleSet = { version: 1, segments: { even: { when: { context: 'n', in: [0, 2, 4, 6, 8] } } } };
    const engine = createEngine({ rules, now: () => now, timeZone: 'UTC', context: { n: 1 } });
    for (let i = 0; i < 1005; i++) {
      now += 1000;
      engine.setContext({ n: i % 10 });
      engine.identify(i % 2 ? null : 'u', { k: i });
    }
    expect(engine.has('even')).toBe(true);
    engine.setRules({ version: 1, segments: { even: { when: { context: 'n', in: [0, 2, 4, 6, 8] } }, odd: { when: { context: 'n', in: [1, 3, 5, 7, 9] } } } });
    expect(engine.members()).toEqual(['even']);
  });
});

describe('deviceType', () => {
  it.each([
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)', null, 'tablet'],
    ['Mozilla/5.0 (Linux; Android 14; SM-X710) Safari/537.36', null, 'tablet'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36', null, 'mobile'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', null, 'mobile'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0', null, 'desktop'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0', '?1', 'mobile'],
    [undefined, undefined, 'desktop'],
  ] as const)('%s %s -> %s', (ua, hint, want) => {
    expect(deviceType(ua, hint)).toBe(want);
  });
});

describe('many segments dirty at once, out of rule-set order', () => {
  it('evaluates each after the segments it reads when a context change marks them all', () => {
    // s0 reads s1, s1 reads s2, ...: dependency order is the reverse of rule-set order.
    const segments: RuleSet['segments'] = {};
    for (let i = 0; i < 20; i++) {
      segments[`s${i}`] = { when: i < 19 ? { all: [{ context: 'k', eq: 1 }, { segment: `s${i + 1}` }] } : { context: 'k', eq: 1 } };
    }
    const engine = createEngine({ rules: { version: 1, segments }, now: () => T0, timeZone: 'UTC' });
    const ids = Object.keys(segments);
    expect(engine.setContext({ k: 1 }).map((c) => [c.segment, c.member])).toEqual(ids.map((id) => [id, true]));
    expect(engine.members()).toEqual(ids);
    expect(engine.setContext({ k: 2 }).map((c) => [c.segment, c.member])).toEqual(ids.map((id) => [id, false]));
    expect(engine.members()).toEqual([]);
  });
});

describe('leaf shapes', () => {
  // The engine's loops over leaves stay fast only while they meet few object shapes (V8 keeps at
  // most four per site; past that, every field read is a slow lookup). Every kind is one of two
  // classes, and a kind's state lives in `s`, so all leaves of a class have the same own keys in
  // the same order: one shape each.
  it('gives every leaf kind one of two classes with the same own keys, and kinds the same keys', () => {
    const b = new Builder(new Sessions(1_800_000), new Map([['s', 0]]), () => 0.5, () => null);
    const conditions = [
      { count: 'x', within: '1h', gte: 1 }, { sum: 'x', of: 'v', gte: 1 }, { avg: 'x', of: 'v', within: 'session', gte: 1 },
      { min: 'x', of: 'v', lte: 1 }, { max: 'x', of: 'v', gte: 1 }, { distinct: 'x', of: 'v', gte: 2 }, { last: 'x', of: 'v', eq: 'a' },
      { since: 'x', gte: '1h' }, { abandoned: 'x', unless: 'y', after: '30m' }, { session: 'pageViews', gte: 2 },
      { score: { terms: [{ weight: 1, value: { since: 'x' }, cap: 1000 }] }, gte: 0.5 },
      { cluster: { features: [{ value: { count: 'x' } }], mean: [0], scale: [1], centroids: { a: [0], b: [1] } }, eq: 'a' },
    ];
    conditions.forEach((c, i) => b.node(c, `/segments/s/when/${i}`));
    const byClass = new Map<unknown, string[][]>();
    for (const leaf of b.leaves) {
      expect(leaf instanceof WindowLeaf || leaf instanceof PointLeaf).toBe(true);
      const cls = leaf instanceof WindowLeaf ? WindowLeaf : PointLeaf;
      // Not a subclass either: another prototype is another shape.
      expect(Object.getPrototypeOf(leaf)).toBe(cls.prototype);
      byClass.set(cls, [...(byClass.get(cls) ?? []), Object.keys(leaf)]);
    }
    expect(byClass.size).toBe(2);
    for (const keys of byClass.values()) for (const k of keys) expect(k).toEqual(keys[0]);
    const kindKeys = (cls: unknown) => new Set(b.leaves.filter((l) => l instanceof (cls as typeof WindowLeaf)).map((l) => Object.keys((l as unknown as { k: object }).k).join()));
    expect(kindKeys(WindowLeaf).size).toBe(1);
    expect(kindKeys(PointLeaf).size).toBe(1);
  });
});
