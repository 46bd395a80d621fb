// Spec edges (rules.md): statements checked beside specAudit.test.ts, from a hunt for places where
// the naive model in test/model could share the engine's reading. Time zones with DST and
// non-hour offsets, values on arrays, model terms, validation paths, and long differential runs
// that reach the log and alpha compaction the property test does not.
import { describe, expect, it } from 'vitest';
import { createEngine, validateRules } from '../src/index.js';
import type { Change, RuleSet } from '../src/index.js';
import { ch, harness, one, ruleSet, tickAt, trackAt } from './helpers/setup.js';
import { DAY, HOUR, MIN, T0 } from './helpers/fakeClock.js';

const paths = (v: ReturnType<typeof validateRules>) => (v.ok ? [] : v.errors.map((e) => e.path));

describe('spec edges: time zones', () => {
  it('Lord_Howe DST end: hour 1 lasts 90 minutes', () => {
    const start = Date.UTC(2026, 3, 4, 13, 30);
    const h = harness(one({ context: 'hour', eq: 1 }), { timeZone: 'Australia/Lord_Howe', start });
    expect(h.engine.has('s')).toBe(false);
    expect(tickAt(h, Date.UTC(2026, 3, 4, 17))).toEqual([ch('s', true, Date.UTC(2026, 3, 4, 14)), ch('s', false, Date.UTC(2026, 3, 4, 15, 30))]);
  });

  it('Lord_Howe DST start: hour 2 lasts 30 minutes', () => {
    const start = Date.UTC(2026, 9, 3, 14, 0);
    const h = harness(one({ context: 'hour', eq: 2 }), { timeZone: 'Australia/Lord_Howe', start });
    expect(tickAt(h, Date.UTC(2026, 9, 3, 18))).toEqual([ch('s', true, Date.UTC(2026, 9, 3, 15, 30)), ch('s', false, Date.UTC(2026, 9, 3, 16))]);
  });

  it('New York DST start: hour 2 never happens, hour 3 starts at 07:00Z', () => {
    const start = Date.UTC(2026, 2, 8, 5, 0);
    const h = harness(ruleSet({ two: { context: 'hour', eq: 2 }, three: { context: 'hour', eq: 3 } }), { timeZone: 'America/New_York', start });
    expect(tickAt(h, Date.UTC(2026, 2, 8, 9))).toEqual([ch('three', true, Date.UTC(2026, 2, 8, 7)), ch('three', false, Date.UTC(2026, 2, 8, 8))]);
  });

  it('Kolkata weekday flips at 18:30Z', () => {
    const start = Date.UTC(2026, 0, 4, 18, 0); // Sunday 23:30 IST
    const h = harness(one({ context: 'weekday', eq: 1 }), { timeZone: 'Asia/Kolkata', start });
    expect(h.engine.nextChange()).toBe(Date.UTC(2026, 0, 4, 18, 30));
    expect(tickAt(h, Date.UTC(2026, 0, 4, 18, 30))).toEqual([ch('s', true, Date.UTC(2026, 0, 4, 18, 30))]);
  });
});

describe('spec edges: values on arrays and odd props', () => {
  it('glob/prefix/contains/suffix on arrays: any element', () => {
    const h = harness(ruleSet({
      g: { count: 'x', where: { tags: { glob: 'a/*' } }, gte: 1 },
      p: { count: 'x', where: { tags: { prefix: 'go' } }, gte: 1 },
      c: { count: 'x', where: { tags: { contains: 'ol' } }, gte: 1 },
      sx: { count: 'x', where: { tags: { suffix: 'ld' } }, gte: 1 },
      n: { count: 'x', where: { tags: { ne: 'gold' } }, gte: 1 },
    }));
    trackAt(h, T0, 'x', { tags: [1, 'a/b', 'gold'] });
    expect(h.engine.members()).toEqual(['g', 'p', 'c', 'sx']);
  });

  it('distinct with arrays counts elements; sum ignores strings; avg over numeric elements', () => {
    const h = harness(ruleSet({
      d: { distinct: 'x', of: 'v', eq: 3 },
      s: { sum: 'x', of: 'v', eq: 6 },
      a: { avg: 'x', of: 'v', eq: 2 },
    }));
    trackAt(h, T0, 'x', { v: ['a', 'b'] });
    trackAt(h, T0 + 1, 'x', { v: ['b', 'c', 1] });
    trackAt(h, T0 + 2, 'x', { v: '5' });
    trackAt(h, T0 + 3, 'x', { v: [2, 3] });
    // distinct: a b c 1 2 3 '5' = 7; sum 1+2+3 = 6; avg 2
    expect(h.engine.members()).toEqual(['s', 'a']);
  });

  it('avg of events with only non-numeric props is null', () => {
    const h = harness(ruleSet({ a: { avg: 'x', of: 'v', eq: null }, m: { min: 'x', of: 'v', exists: false } }));
    trackAt(h, T0, 'x', { v: 'str' });
    expect(h.engine.members()).toEqual(['a', 'm']);
  });

  it('exists:true on an empty array prop in where', () => {
    const h = harness(ruleSet({ e: { count: 'x', where: { v: { exists: true } }, gte: 1 }, in: { count: 'x', where: { v: { in: [null] } }, gte: 1 } }));
    trackAt(h, T0, 'x', { v: [] });
    expect(h.engine.members()).toEqual(['e']);
  });

  it('a prop named like an Object.prototype member is missing when absent', () => {
    const h = harness(ruleSet({ a: { count: 'x', where: { toString: { exists: false } }, gte: 1 }, b: { last: 'x', of: 'hasOwnProperty', eq: null } }));
    trackAt(h, T0, 'x', {});
    expect(h.engine.members()).toEqual(['a', 'b']);
  });
});

describe('spec edges: bucket', () => {
  it('bucket equals the spec formula for a non-ASCII id', () => {
    const fnv = (s: string) => { let x = 2166136261; for (const b of new TextEncoder().encode(s)) { x ^= b; x = Math.imul(x, 16777619) >>> 0; } return x >>> 0; };
    const v = fnv('exp:ü😀') / 2 ** 32;
    const h = harness(ruleSet({ a: { bucket: 'exp', eq: v }, b: { bucket: 'exp', lt: v } }), { anonymousId: 'ü😀' });
    expect(h.engine.members()).toEqual(['a']);
    expect(h.engine.explain('a').condition.value).toBe(v);
  });
});

describe('spec edges: abandoned, since, hold timing', () => {
  it('abandoned: add, purchase, add restarts', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m' }));
    trackAt(h, T0, 'add');
    trackAt(h, T0 + MIN, 'buy');
    trackAt(h, T0 + 2 * MIN, 'add');
    expect(h.engine.nextChange()).toBe(T0 + 12 * MIN);
    expect(tickAt(h, T0 + 12 * MIN)).toEqual([ch('s', true, T0 + 12 * MIN)]);
  });

  it('abandoned with within: the most recent A inside within; an older A outside does not count', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m', within: '30m' }));
    trackAt(h, T0, 'add');
    expect(tickAt(h, T0 + 10 * MIN)).toEqual([ch('s', true, T0 + 10 * MIN)]);
    expect(tickAt(h, T0 + 30 * MIN)).toEqual([ch('s', false, T0 + 30 * MIN)]);
    expect(tickAt(h, T0 + 10 * DAY)).toEqual([]);
  });

  it('abandoned after 0: true at once', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: 0 }));
    expect(trackAt(h, T0, 'add')).toEqual([ch('s', true, T0)]);
  });

  it('abandoned: A dropped by retention ends it at the drop instant', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m' }, {}, { retain: { for: '1h' } }));
    trackAt(h, T0, 'add');
    tickAt(h, T0 + 20 * MIN);
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('s', false, T0 + HOUR)]);
  });

  it('abandoned: an unless event dropped by retention (A still retained) does not revive it', () => {
    // A at T0+1, unless at T0+1 (same t, later arrival) -> not abandoned. Retention by count drops nothing relevant.
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m' }, {}, { retain: { events: 3 } }));
    trackAt(h, T0, 'buy');
    trackAt(h, T0 + MIN, 'add');
    trackAt(h, T0 + 2 * MIN, 'buy');
    trackAt(h, T0 + 3 * MIN, 'y');
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
  });

  it('since gt 1h: true at t+1h+1, nextChange names it', () => {
    const h = harness(one({ since: 'x', gt: '1h' }));
    trackAt(h, T0, 'x');
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
    expect(h.engine.nextChange()).toBe(T0 + HOUR + 1);
    expect(tickAt(h, T0 + HOUR + 1)).toEqual([ch('s', true, T0 + HOUR + 1)]);
  });

  it('since lt 2h with retain.for 1h: the drop ends it at T0+1h', () => {
    const h = harness(one({ since: 'x', lt: '2h' }, {}, { retain: { for: '1h' } }));
    trackAt(h, T0, 'x');
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('s', false, T0 + HOUR)]);
  });

  it('since ne 0 on no events is true (Infinity)', () => {
    const h = harness(ruleSet({ a: { since: 'x', ne: 0 }, b: { since: 'x', gte: '90d' } }));
    expect(h.engine.members()).toEqual(['a', 'b']);
  });

  it('hold restarts when the condition is true again before x+hold', () => {
    const h = harness(one({ count: 'x', within: '10m', gte: 1 }, { hold: '10m' }));
    trackAt(h, T0, 'x');
    tickAt(h, T0 + 10 * MIN); // cond false at T0+10m
    trackAt(h, T0 + 15 * MIN, 'x');
    expect(tickAt(h, T0 + 34 * MIN)).toEqual([]);
    expect(h.engine.nextChange()).toBe(T0 + 35 * MIN);
    expect(tickAt(h, T0 + 35 * MIN)).toEqual([ch('s', false, T0 + 35 * MIN)]);
  });

  it('hold exit and re-enter at the same instant: exit then enter', () => {
    const h = harness(one({ count: 'x', within: '10m', gte: 1 }, { hold: '10m' }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 20 * MIN, 'x')).toEqual([ch('s', false, T0 + 20 * MIN), ch('s', true, T0 + 20 * MIN)]);
  });

  it('fractional now() is floored', () => {
    let t = T0 + 0.75;
    const e = createEngine({ rules: one({ count: 'x', gte: 1 }), now: () => t, timeZone: 'UTC' });
    expect(e.track('x')).toEqual([ch('s', true, T0)]);
    expect(e.events()[0]!.t).toBe(T0);
    t = T0 + 1.5;
    expect(e.tick()).toEqual([]);
  });
});

describe('spec edges: sessions', () => {
  it('within session: the latest session even when no longer active', () => {
    const h = harness(one({ count: 'x', within: 'session', gte: 2 }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + MIN, 'x');
    expect(tickAt(h, T0 + 5 * HOUR)).toEqual([]);
    expect(h.engine.has('s')).toBe(true);
  });

  it('within session: a non-matching event that opens a new session empties the window', () => {
    const h = harness(one({ count: 'x', within: 'session', gte: 1 }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + HOUR, 'y')).toEqual([ch('s', false, T0 + HOUR)]);
  });

  it('within session: a late non-matching event that merges sessions brings old matches in', () => {
    const h = harness(one({ count: 'x', within: 'session', gte: 2 }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + 40 * MIN, 'x');
    expect(h.engine.has('s')).toBe(false);
    h.clock.set(T0 + 41 * MIN);
    expect(h.engine.track('y', {}, { t: T0 + 20 * MIN })).toEqual([ch('s', true, T0 + 41 * MIN)]);
  });

  it('within session: the latest session loses its first event by retain.events', () => {
    const h = harness(one({ count: 'x', within: 'session', gte: 2 }, {}, { retain: { events: 2 } }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + MIN, 'x');
    expect(h.engine.has('s')).toBe(true);
    expect(trackAt(h, T0 + 2 * MIN, 'y')).toEqual([ch('s', false, T0 + 2 * MIN)]);
  });

  it('session duration with a duration operand', () => {
    const h = harness(one({ session: 'duration', gte: '10m' }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 10 * MIN, 'x')).toEqual([ch('s', true, T0 + 10 * MIN)]);
    expect(trackAt(h, T0 + 50 * MIN, 'x')).toEqual([ch('s', false, T0 + 50 * MIN)]);
  });

  it('session pageViews in the latest session', () => {
    const h = harness(one({ session: 'pageViews', eq: 1 }));
    trackAt(h, T0, 'page_view', { path: '/' });
    trackAt(h, T0 + MIN, 'page_view', { path: '/' });
    expect(trackAt(h, T0 + HOUR, 'page_view', { path: '/' })).toEqual([ch('s', true, T0 + HOUR)]);
  });
});

describe('spec edges: models', () => {
  it('score cap bounds from above a non-since term', () => {
    const h = harness(one({ score: { link: 'linear', terms: [{ weight: 1, value: { count: 'x' }, cap: 2 }] }, eq: 2 }));
    trackAt(h, T0, 'x'); trackAt(h, T0, 'x'); trackAt(h, T0, 'x');
    expect(h.engine.has('s')).toBe(true);
  });

  it('score logistic default: bias 0 gives 0.5', () => {
    const h = harness(one({ score: { terms: [{ weight: 1, value: { count: 'x' } }] }, eq: 0.5 }));
    expect(h.engine.has('s')).toBe(true);
  });

  it('score with a since term crossing a threshold between events', () => {
    const h = harness(one({ score: { link: 'linear', terms: [{ weight: 1, value: { since: 'x' }, cap: 3_600_000 }] }, gte: 1_800_000 }));
    expect(h.engine.has('s')).toBe(true); // no event: cap
    trackAt(h, T0, 'x');
    expect(h.engine.has('s')).toBe(false);
    expect(h.engine.nextChange()).toBe(T0 + 30 * MIN);
    expect(tickAt(h, T0 + 30 * MIN)).toEqual([ch('s', true, T0 + 30 * MIN)]);
  });

  it('cluster with a missing trait: feature 0', () => {
    const h = harness(one({ cluster: { features: [{ value: { trait: 'age' } }], mean: [10], scale: [10], centroids: { young: [-1], old: [1] } }, eq: 'young' }));
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.identify('u', { age: 30 })).toEqual([ch('s', false, T0)]);
  });

  it('cluster of a within window: changes when the window expires', () => {
    const h = harness(one({ cluster: { features: [{ value: { count: 'x', within: '1h' } }], mean: [0], scale: [1], centroids: { none: [0], some: [3] } }, eq: 'some' }));
    trackAt(h, T0, 'x'); trackAt(h, T0, 'x');
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('s', false, T0 + HOUR)]);
  });
});

describe('spec edges: validation paths', () => {
  it('nested errors in abandoned unless.where, score term where and cluster features, all at once', () => {
    const v = validateRules({ version: 1, segments: {
      a: { when: { all: [{ abandoned: 'x', unless: { event: 'y', where: { p: { glob: 5 } } }, after: '1h' }] } },
      b: { when: { score: { terms: [{ weight: 1, value: { count: 'x', where: { p: {} } } }] }, gt: 0 } },
      c: { when: { cluster: { features: [{ value: { sum: 'x', of: 'v', within: '1hour' } }], mean: [0], scale: [0], centroids: { a: [0] } }, eq: 'a' } },
    } });
    expect(paths(v)).toEqual([
      '/segments/a/when/all/0/unless/where/p/glob',
      '/segments/b/when/score/terms/0/value/where/p',
      '/segments/c/when/cluster/features/0/value/within',
      '/segments/c/when/cluster/scale/0',
    ]);
  });

  it('since with within is an error; abandoned within session is an error', () => {
    const v = validateRules({ version: 1, segments: {
      a: { when: { since: 'x', within: '1h', gte: 0 } },
      b: { when: { abandoned: 'x', unless: 'y', after: '1h', within: 'session' } },
    } });
    expect(paths(v)).toEqual(['/segments/a/when/within', '/segments/b/when/within']);
  });

  it('durations: bad forms are errors', () => {
    for (const d of ['24hours', '-1h', 1.5, '1.5h', '1H', ' 1h', '', 'h', -1]) {
      const v = validateRules({ version: 1, segments: { a: { when: { count: 'x', within: d, gte: 1 } } } });
      expect([d, paths(v)]).toEqual([d, ['/segments/a/when/within']]);
    }
    for (const d of [0, '0ms', '05m', '2w']) {
      expect(validateRules({ version: 1, segments: { a: { when: { count: 'x', within: d, gte: 1 } } } }).ok).toBe(true);
    }
  });

  it('centroid label integer-like is an error; label with digits first is an error', () => {
    const v = validateRules({ version: 1, segments: {
      a: { when: { cluster: { features: [{ value: { count: 'x' } }], mean: [0], scale: [1], centroids: { '1': [0], ok: [1] } }, eq: 'ok' } },
    } });
    expect(v.ok).toBe(false);
  });

  it('score terms and cluster features must not be empty', () => {
    const v = validateRules({ version: 1, segments: {
      a: { when: { score: { terms: [] }, gt: 0 } },
      b: { when: { cluster: { features: [], mean: [], scale: [], centroids: { a: [] } }, eq: 'a' } },
      c: { when: { cluster: { features: [{ value: { count: 'x' } }], mean: [0], scale: [1], centroids: {} }, ne: 'a' } },
    } });
    expect(v.ok).toBe(false);
    expect(new Set(paths(v).map((p) => p.split('/')[2]))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('score term with a test operator is an error', () => {
    const v = validateRules({ version: 1, segments: { a: { when: { score: { terms: [{ weight: 1, value: { count: 'x', gte: 1 } }] }, gt: 0 } } } });
    expect(v.ok).toBe(false);
  });

  it('every kind but boolean, segment, abandoned needs a test', () => {
    for (const c of [{ count: 'x' }, { since: 'x' }, { session: 'events' }, { context: 'k' }, { trait: 'k' }, { bucket: 's' }, { last: 'x', of: 'v' }]) {
      expect([c, validateRules({ version: 1, segments: { a: { when: c } } }).ok]).toEqual([c, false]);
    }
  });

  it('empty test {} in where is an error; in: [] is valid', () => {
    expect(paths(validateRules({ version: 1, segments: { a: { when: { count: 'x', where: { p: {} }, gte: 1 } } } }))).toEqual(['/segments/a/when/where/p']);
    expect(validateRules({ version: 1, segments: { a: { when: { count: 'x', in: [] } } } }).ok).toBe(true);
  });
});

import { runScenario } from './model/runScenario.js';
import type { Scenario, Step } from './model/scenario.js';

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0; x ^= x >>> 13; return (x >>> 0) / 2 ** 32; };
}

const LONG_RULES: RuleSet = {
  version: 1,
  session: { timeout: '3m' },
  retain: { events: 80, for: '2h' },
  segments: {
    mx: { when: { max: 'x', of: 'v', within: '10m', gte: 7 }, hold: '3m' },
    mn: { when: { min: 'x', of: 'v', within: '10m', lte: 1 } },
    d: { when: { distinct: 'x', of: 'tag', within: '20m', gte: 4 } },
    c: { when: { count: 'x', within: '5m', gte: 3 } },
    l: { when: { last: 'x', of: 'tag', within: '3m', eq: 'a' } },
    sm: { when: { sum: 'x', of: 'v', within: '15m', gte: 30 } },
    av: { when: { avg: '*', of: 'v', lt: 4 } },
    sc: { when: { session: 'events', gte: 5 } },
    cs: { when: { count: 'x', within: 'session', gte: 4 } },
    ab: { when: { abandoned: 'x', unless: 'y', after: '2m' } },
    si: { when: { since: 'y', gte: '4m' } },
    dn: { when: { distinct: '*', of: 'tag', gte: 5 }, hold: '1m' },
    ref: { when: { all: [{ segment: 'mx' }, { not: { segment: 'c' } }] }, hold: '2m' },
    sco: { when: { score: { link: 'linear', terms: [{ weight: 1, value: { count: 'x', within: '4m' } }, { weight: -1, value: { count: 'y', within: '6m' } }] }, gte: 2 } },
  },
};

describe('spec edges: long streams against the model (compaction of alphas and log)', () => {
  for (const [seed, n] of [[1, 1300], [2, 1300], [3, 2200], [4, 2200]] as const) {
    it(`seed ${seed}`, () => {
      const r = rng(seed);
      const steps: Step[] = [];
      const tags = ['a', 'b', 'c', 'd', 'e', 'f'];
      for (let i = 0; i < n; i++) {
        const u = r();
        if (u < 0.7) {
          const late = r() < 0.1;
          const props: Record<string, string | number | (string | number)[]> = {};
          if (r() < 0.8) props.v = Math.floor(r() * 10);
          if (r() < 0.2) props.v = [Math.floor(r() * 10), Math.floor(r() * 10)];
          if (r() < 0.8) props.tag = tags[Math.floor(r() * tags.length)]!;
          if (r() < 0.1) props.tag = [tags[Math.floor(r() * 6)]!, tags[Math.floor(r() * 6)]!];
          steps.push({ do: 'track', type: r() < 0.75 ? 'x' : 'y', props, ...(late ? { dt: -Math.floor(r() * 300_000) } : {}) });
        } else if (u < 0.9) steps.push({ do: 'advance', by: Math.floor(r() * 90_000) });
        else if (u < 0.95) steps.push({ do: 'advance', by: 'next' });
        else if (u < 0.995) steps.push({ do: 'tick' });
        else steps.push({ do: 'setRules', rules: LONG_RULES });
      }
      const s: Scenario = { timeZone: 'UTC', base: T0, anonymousId: 'a', rules: LONG_RULES, steps };
      runScenario(s, createEngine);
    }, 240_000);
  }
});

describe('spec edges: explain, re-entrancy', () => {
  it('explain: values of since (none), abandoned, segment ref, not', () => {
    const h = harness(ruleSet({ a: { since: 'x', gte: 0 }, b: { not: { segment: 'a' } }, c: { abandoned: 'x', unless: 'y', after: 5 } }));
    const a = h.engine.explain('a');
    expect([a.condition.value, a.condition.verdict, a.member]).toEqual([Infinity, true, true]);
    const b = h.engine.explain('b');
    expect([b.condition.verdict, b.condition.children?.[0]?.value]).toEqual([false, true]);
    trackAt(h, T0, 'x');
    tickAt(h, T0 + 5);
    expect(h.engine.explain('c').condition.value).toBe(true);
    expect(() => h.engine.explain('zz')).toThrow(expect.objectContaining({ code: 'unknown_segment' }));
  });
});

describe('spec edges: misc', () => {
  it('score since term: the event leaving by retain.for makes the term its cap at that instant', () => {
    const h = harness(one({ score: { link: 'linear', terms: [{ weight: 1, value: { since: 'x' }, cap: 2 * HOUR }] }, gte: 1.5 * HOUR }, {}, { retain: { for: '1h' } }));
    trackAt(h, T0, 'x');
    expect(h.engine.has('s')).toBe(false);
    expect(tickAt(h, T0 + 3 * HOUR)).toEqual([ch('s', true, T0 + HOUR)]);
  });

  it('re-entrant identify: deferred, and its changes go to listeners', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { trait: 'p', eq: 1 } }));
    const seen: Change[] = [];
    let inner: Change[] | null = null;
    h.engine.subscribe((c) => { seen.push(c); if (c.segment === 'a') inner = h.engine.identify('u', { p: 1 }); });
    expect(trackAt(h, T0, 'x')).toEqual([ch('a', true, T0)]);
    expect(inner).toEqual([]);
    expect(seen).toEqual([ch('a', true, T0), ch('b', true, T0)]);
  });
});

describe('spec edges: a page that polluted Object.prototype', () => {
  it('conditions read an event\'s own props only: an inherited value neither matches nor counts', () => {
    const proto = Object.prototype as unknown as Record<string, unknown>;
    let members: string[] = [];
    proto['plan'] = 'pro';
    proto['price'] = 100;
    try {
      const engine = createEngine({
        rules: ruleSet({
          pro: { count: 'view', where: { plan: { eq: 'pro' } }, gte: 1 },
          unplanned: { count: 'view', where: { plan: { exists: false } }, gte: 1 },
          spent: { sum: 'view', of: 'price', gte: 1 },
        }),
        now: () => T0,
      });
      engine.track('view', { item: 'a' });
      members = engine.members();
    } finally {
      // Deleted before anything else runs: the test runner reads plain objects too.
      delete proto['plan'];
      delete proto['price'];
    }
    expect(members).toEqual(['unplanned']);
  });
});
