import fc from 'fast-check';
import type { Condition, Primitive, RuleSet, SegmentRule, TestOperators, Where } from '../../src/types.js';

/**
 * Hour and weekday operands are generated relative to the scenario's start (so that the clock can
 * cross them): `HOUR_BASE + k` means local start hour + k, `DAY_BASE + k` start weekday + k;
 * `resolveClock` turns them into real values once the start is known.
 */
const HOUR_BASE = 1000;
const DAY_BASE = 2000;

export const TYPES = ['page_view', 'add_to_cart', 'purchase', 'custom'] as const;
export const PATHS = ['/', '/a', '/a/b', '/product/1', '/product/x/y', '/p/😀', '', '/p/😁/é', '/é/a', '/p/\ud83d', '/p/\ude00', '/p/😀/x', '😀', 'é/😀😁'] as const;
const TYPE_REF = fc.constantFrom<string>(...TYPES, '*');
const IDS = ['a', 'b', 'c', 'd', 'e'] as const;

export const num = fc.oneof(fc.integer({ min: -3, max: 10 }), fc.integer({ min: -6, max: 20 }).map((n) => n / 2));
/**
 * Characters of generated text: ASCII, BMP letters (precomposed `é` and its decomposed form, which
 * must not be equal), astral ones (two emoji sharing a high surrogate) and lone surrogates, whose
 * concatenation can pair up (`'\ud83d' + '\ude00'` is `'😀'`). `/`, `*` and `?` make globs.
 */
export const CHARS = ['a', 'b', '/', 'é', 'e\u0301', 'ß', '😀', '😁', '\ud83d', '\ude00'] as const;
/** Short non-ASCII-rich strings from a small alphabet, so that operands and values often meet. */
export const text: fc.Arbitrary<string> = fc.array(fc.constantFrom<string>(...CHARS), { maxLength: 5 }).map((cs) => cs.join(''));
/**
 * Strings at the 512 UTF-16 unit limit (spec 5, Limits) that end in astral characters or lone
 * surrogates: 510 to 512 units, so always valid.
 */
export const longText: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('😀', 'é', '\ud83d', '\ude00', '😀\ud83d', 'a'))
  .map(([k, end]) => 'é'.repeat(512 - k - end.length) + end);
export const primitive: fc.Arbitrary<Primitive> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Primitive>(...PATHS, 'x', 'y', '5', 'gold', 'mobile', true, false, null) },
  { weight: 3, arbitrary: num },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom<Primitive>('/p/😀/x', '/é', '/p/\ud83d', 'e\u0301', 'é') },
);
const UNIT_NAMES: Record<number, string> = { 1: 'ms', 1000: 's', 60_000: 'm', 3_600_000: 'h', 86_400_000: 'd', 604_800_000: 'w' };
/** A duration of min..max `unit`s: integer ms, sometimes written as a string. */
const scaledDuration = (min: number, max: number, unit: number): fc.Arbitrary<number | string> =>
  fc.oneof(fc.integer({ min, max }).map((n) => n * unit), fc.integer({ min, max }).map((n) => (UNIT_NAMES[unit] ? `${n}${UNIT_NAMES[unit]}` : `${n * unit}ms`)));

type OpArbs = Partial<Record<keyof TestOperators, fc.Arbitrary<unknown>>>;

/** A test with one or two operators drawn from `arbs` (never the empty test). */
function opsFrom(arbs: OpArbs, max = 2): fc.Arbitrary<TestOperators> {
  const names = Object.keys(arbs) as (keyof TestOperators)[];
  return fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: max })
    .chain((ops) => fc.tuple(...ops.map((op) => arbs[op]!)).map((vals) => Object.fromEntries(ops.map((op, i) => [op, vals[i]])) as TestOperators));
}

const GLOBS = ['/product/*', '/**', '/?', '*', '**/b', '/a/*', '?*', '/p/?', '/product/**', '***', '/a/b',
  '/p/😀', '/p/😀/**', '/p/?/*', '/é/*', '*😀', '\ud83d**', '/p/\ud83d', '*\ude00', '?', '??', '/p/*/é', 'e\u0301*',
  '/p/😀*', '😀*', '**😀**', '/p/😁/*', '*/?'];
/** Globs written from the text alphabet with stars and question marks. */
const globText = fc.array(fc.constantFrom<string>(...CHARS, '*', '**', '?'), { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
/** A generated value (a path or text) with some characters (code points) turned into wildcards: often matches it. */
const pathOrText = fc.oneof(fc.constantFrom<string>(...PATHS), text);
const globOfValue = pathOrText.chain((v) => {
  const cps = Array.from(v);
  return fc.tuple(
    fc.array(fc.constantFrom('', '', '', '?', '*', '**'), { minLength: cps.length, maxLength: cps.length }),
    fc.constantFrom('', '', '*', '**'),
  ).map(([ws, end]) => cps.map((c, i) => ws[i] || c).join('') + end);
});
/** A slice of a generated value, cut at any UTF-16 index (so sometimes half an emoji). */
const sliceOfValue = (from: 'start' | 'end' | 'any') => pathOrText.chain((v) => fc.tuple(fc.integer({ min: 0, max: v.length }), fc.integer({ min: 0, max: v.length }))
  .map(([i, j]) => (from === 'start' ? v.slice(0, i) : from === 'end' ? v.slice(i) : v.slice(Math.min(i, j), Math.max(i, j)))));
const genericOps: OpArbs = {
  eq: primitive, ne: primitive, gt: num, gte: num, lt: num, lte: num,
  in: fc.array(primitive, { maxLength: 3 }),
  prefix: fc.oneof(fc.constantFrom('/', '/a', '/product/', 'g', '', '/p/😀', '/p/\ud83d', '/é'), text, sliceOfValue('start')),
  suffix: fc.oneof(fc.constantFrom('/', 'b', '1', 'y', '😀', '\ude00', 'é', '\u0301'), text, sliceOfValue('end')),
  contains: fc.oneof(fc.constantFrom('product', 'a', '/', 'ol', '😀', '\ud83d', '\ude00', 'e\u0301'), text, sliceOfValue('any')),
  glob: fc.oneof(fc.constantFrom(...GLOBS), globText, globOfValue), exists: fc.boolean(),
};
/** The string operators (with `eq` and `in` on text). */
const stringOps: OpArbs = {
  eq: fc.oneof(text, fc.constantFrom(...PATHS)), in: fc.array(fc.oneof(text, fc.constantFrom(...PATHS)), { maxLength: 3 }),
  prefix: genericOps.prefix!, suffix: genericOps.suffix!, contains: genericOps.contains!, glob: genericOps.glob!,
};
const small = fc.integer({ min: -1, max: 4 });
const countOps: OpArbs = {
  eq: small, ne: small, gt: small, gte: fc.integer({ min: 0, max: 4 }), lt: small, lte: small,
  in: fc.array(small, { maxLength: 3 }), exists: fc.boolean(),
};
const numberOps: OpArbs = { ...countOps, eq: fc.oneof(num, fc.constant(null)), ne: fc.oneof(num, fc.constant(null)), gt: num, gte: num, lt: num, lte: num };
/** Rule sets whose durations are whole multiples of `unit` ms. */
function buildRuleSet(unit: number): fc.Arbitrary<RuleSet> {
  const duration = (min: number, max: number) => scaledDuration(min, max, unit);
  const ms = duration(0, 50);
  const durationOps: OpArbs = { eq: ms, ne: ms, gt: ms, gte: ms, lt: ms, lte: ms };

  /** A `where` test: a bare primitive or operators. */
  const whereTest = fc.oneof({ weight: 1, arbitrary: primitive }, { weight: 4, arbitrary: opsFrom(genericOps) });
  /** A `where` on the path alone with a string operator, so that text values meet text operands often. */
  const pathWhere: fc.Arbitrary<Where> = fc.oneof(opsFrom(stringOps, 1), genericOps.glob!.map((glob) => ({ glob })))
    .map((test) => ({ path: test as TestOperators }));
  const where: fc.Arbitrary<Where> = fc.oneof(
    { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('path', 'value', 'tags', 'item', 'toString'), whereTest, { minKeys: 1, maxKeys: 2 }) },
    { weight: 2, arbitrary: pathWhere },
  );
  const within = fc.oneof({ weight: 4, arbitrary: duration(1, 60) }, { weight: 1, arbitrary: fc.constant('session') });
  const propName = fc.constantFrom('value', 'value', 'tags', 'item', 'path', 'valueOf');
  /** `arb` or undefined (then left out), undefined with probability `pNone`. */
  const maybe = <T>(arb: fc.Arbitrary<T>, pNone: number): fc.Arbitrary<T | undefined> => pNone >= 1
    ? fc.constant(undefined)
    : fc.oneof({ weight: Math.round(pNone * 20), arbitrary: fc.constant(undefined) }, { weight: Math.round((1 - pNone) * 20), arbitrary: arb });
  const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  /** The source part of an aggregate: `{ [kind]: T, of?, where?, within? }`. */
  const source = (kind: string, withOf: boolean, windowed = true) => fc.record({
    type: TYPE_REF, of: propName, where: maybe(where, 0.65), within: maybe(within, windowed ? 0.3 : 1),
  }).map(({ type, of, where: w, within: win }) => compact({ [kind]: type, ...(withOf && { of }), where: w, within: win }));

  /** A value expression (no tests), for score terms and cluster features. */
  const valueExpr: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    source('count', false),
    fc.constantFrom('sum', 'min', 'max', 'avg', 'distinct', 'last').chain((k) => source(k, true)),
    source('since', false, false),
    fc.record({ session: fc.constantFrom('pageViews', 'events', 'duration', 'number') }),
    fc.record({ context: fc.constantFrom('flag', 'device', 'hour', 'weekday') }),
    fc.record({ trait: fc.constantFrom('age', 'vip') }),
  ).map((e) => e as Record<string, unknown>);

  const weight = fc.constantFrom(-2, -1, -0.5, 0.5, 1, 2);
  const term = valueExpr.chain((value) => 'since' in value
    ? fc.record({ weight, value: fc.constant(value), cap: fc.integer({ min: 0, max: 40 }) })
    : fc.record({ weight, value: fc.constant(value), cap: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: ['weight', 'value'] }));

  const scoreCond = fc.record({
    bias: fc.integer({ min: -4, max: 4 }).map((n) => n / 2),
    terms: fc.array(term, { minLength: 1, maxLength: 3 }),
    link: fc.constantFrom('linear', 'logistic'),
  }, { requiredKeys: ['terms'] }).chain((score) => fc.tuple(fc.constant(score), score.link === 'linear'
    ? opsFrom({ gt: num, gte: num, lt: num, lte: num })
    : opsFrom({ gt: fc.constantFrom(0.3, 0.5, 0.7), lt: fc.constantFrom(0.3, 0.5, 0.7) }, 1)))
    .map(([score, ops]) => ({ score, ...ops }));

  const LABELS = ['lo', 'mid', 'hi'];
  const clusterCond = fc.integer({ min: 1, max: 2 }).chain((n) => fc.record({
    features: fc.array(term.map(({ value, cap }) => (cap === undefined ? { value } : { value, cap })), { minLength: n, maxLength: n }),
    mean: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }),
    scale: fc.array(fc.constantFrom(1, 2, 0.5, -1), { minLength: n, maxLength: n }),
    centroids: fc.shuffledSubarray(LABELS, { minLength: 1 }).chain((labels) => fc.tuple(...labels.map(() =>
      fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n }))).map((cs) => Object.fromEntries(labels.map((l, i) => [l, cs[i]])))),
  })).chain((cluster) => {
    // the engine's validator rejects a label that no centroid has (sensible: surely a typo)
    const labels = Object.keys(cluster.centroids);
    return fc.tuple(fc.constant(cluster), opsFrom({ eq: fc.constantFrom(...labels), ne: fc.constantFrom(...labels), in: fc.subarray(labels) }, 1));
  })
    .map(([cluster, ops]) => ({ cluster, ...ops }));

  /** A leaf condition of any kind but `segment`. */
  function leaf(): fc.Arbitrary<Condition> {
    const hours = fc.constantFrom(HOUR_BASE, HOUR_BASE + 1, HOUR_BASE - 1);
    const days = fc.constantFrom(DAY_BASE, DAY_BASE + 1);
    const w = (weight: number, arbitrary: fc.Arbitrary<unknown>) => ({ weight, arbitrary });
    const arbs = [
      w(5, source('count', false).chain((c) => opsFrom(countOps).map((o) => ({ ...c, ...o })))),
      w(2, fc.constantFrom('sum', 'min', 'max', 'avg').chain((k) => source(k, true)).chain((c) => opsFrom(numberOps).map((o) => ({ ...c, ...o })))),
      w(1, source('distinct', true).chain((c) => opsFrom(countOps).map((o) => ({ ...c, ...o })))),
      w(1, source('last', true).chain((c) => opsFrom(genericOps).map((o) => ({ ...c, ...o })))),
      w(3, source('since', false, false).chain((c) => opsFrom(durationOps).map((o) => ({ ...c, ...o })))),
      w(3, fc.record({
        src: source('abandoned', false),
        unless: fc.oneof(TYPE_REF, fc.record({ event: TYPE_REF, where }, { requiredKeys: ['event'] })),
        after: duration(0, 40),
      }).map(({ src, unless, after }) => {
        if (src.within === 'session') delete src.within;
        return { ...src, unless, after };
      })),
      w(2, fc.constantFrom('pageViews', 'events', 'number').chain((m) => opsFrom(countOps).map((o) => ({ session: m, ...o })))),
      w(1, opsFrom(durationOps).map((o) => ({ session: 'duration', ...o }))),
      w(1, fc.constantFrom('device', 'path', 'flag', 'lang', 'toString').chain((k) => opsFrom(genericOps).map((o) => ({ context: k, ...o })))),
      w(1, fc.constantFrom('path', 'lang').chain((k) => opsFrom(stringOps, 1).map((o) => ({ context: k, ...o })))),
      w(1, opsFrom({ eq: hours, gte: hours, lt: hours, in: fc.subarray([HOUR_BASE, HOUR_BASE + 1]) }, 1).map((o) => ({ context: 'hour', ...o }))),
      w(1, opsFrom({ eq: days, ne: days }, 1).map((o) => ({ context: 'weekday', ...o }))),
      w(1, fc.constantFrom('tier', 'age', 'tags', 'vip', 'hasOwnProperty').chain((k) => opsFrom(genericOps).map((o) => ({ trait: k, ...o })))),
      w(1, fc.constantFrom('exp', 'x', 'é😀', '\ud83d', '\ud83e').chain((salt) => opsFrom({ lt: fc.constantFrom(0.1, 0.5, 0.9), gte: fc.constantFrom(0.1, 0.5, 0.9) }, 1).map((o) => ({ bucket: salt, ...o })))),
      w(1, scoreCond),
      w(1, clusterCond),
    ];
    return fc.oneof(...arbs) as fc.Arbitrary<Condition>;
  }

  /** A condition tree at most `depth` boolean levels deep, referencing only `refs`. */
  function condition(refs: readonly string[], depth: number): fc.Arbitrary<Condition> {
    const leaves: fc.Arbitrary<Condition>[] = [LEAF];
    if (refs.length > 0) leaves.push(fc.constantFrom(...refs).map((segment) => ({ segment })));
    const base = fc.oneof(...leaves);
    if (depth <= 0) return base;
    const sub = condition(refs, depth - 1);
    return fc.oneof(
      { weight: 3, arbitrary: base },
      { weight: 1, arbitrary: fc.array(sub, { maxLength: 3 }).map((all) => ({ all })) },
      { weight: 1, arbitrary: fc.array(sub, { maxLength: 3 }).map((any) => ({ any })) },
      { weight: 1, arbitrary: sub.map((not) => ({ not })) },
    );
  }

  const LEAF = leaf();
  /** Conditions of the i-th generated segment, which may reference the segments generated before it. */
  const CONDITIONS = IDS.map((_, i) => condition(IDS.slice(0, i), 2));

  function ruleSetOf(n: number): fc.Arbitrary<RuleSet> {
    const ids = IDS.slice(0, n);
    const segs = ids.map((_, i) => fc.record({ when: CONDITIONS[i]!, hold: duration(0, 30) }, { requiredKeys: ['when'] }));
    return fc.record({
      segs: fc.tuple(...segs),
      order: fc.shuffledSubarray([...ids], { minLength: n, maxLength: n }),
      session: fc.record({ timeout: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: duration(1, 40) }) }),
      retain: fc.record({ events: fc.integer({ min: 3, max: 20 }), for: duration(20, 300) }, { requiredKeys: [] }),
    }, { requiredKeys: ['segs', 'order'] }).map(({ segs: rules, order, session, retain }) => {
      const segments: Record<string, SegmentRule> = {};
      for (const id of order) segments[id] = rules[ids.indexOf(id as (typeof IDS)[number])]!;
      const out: RuleSet = { version: 1, segments };
      if (session) out.session = session;
      if (retain) out.retain = retain;
      return out;
    });
  }
  const BY_SIZE = [1, 2, 3, 4, 5].map(ruleSetOf);
  return fc.integer({ min: 0, max: 4 }).chain((i) => BY_SIZE[i]!);
}

const built = new Map<number, fc.Arbitrary<RuleSet>>();
/**
 * A valid rule set: 1-5 segments, acyclic references, random declaration order, durations in
 * `unit` ms (1, 1000 or 60000); see `resolveClock`.
 */
export function ruleSet(unit = 1): fc.Arbitrary<RuleSet> {
  if (!built.has(unit)) built.set(unit, buildRuleSet(unit));
  return built.get(unit)!;
}

/** Replaces relative hour/weekday operands (anywhere in `rules`) by real ones for a start at `hour`/`weekday`. */
export function resolveClock<T>(rules: T, hour: number, weekday: number): T {
  const fix = (v: unknown): unknown => {
    if (typeof v === 'number' && v >= DAY_BASE - 10) return (weekday + (v - DAY_BASE) + 7) % 7;
    if (typeof v === 'number' && v >= HOUR_BASE - 10) return (hour + (v - HOUR_BASE) + 24) % 24;
    return Array.isArray(v) ? v.map(fix) : v;
  };
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x === null || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    const clock = o.context === 'hour' || o.context === 'weekday';
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, clock && k !== 'context' ? fix(v) : walk(v)]));
  };
  return walk(rules) as T;
}
