import { describe, expect, it } from 'vitest';
import { createEngine, validateRules } from '../src/index.js';
import type { RuleSet } from '../src/index.js';
import { ch, harness, one, ruleSet, tickAt, trackAt } from './helpers/setup.js';
import { DAY, HOUR, MIN, T0 } from './helpers/fakeClock.js';

describe('spec audit: events, values and aggregates', () => {
  it('future t via track options is recorded at now()', () => {
    const h = harness(one({ since: 'x', eq: 0 }));
    h.clock.set(T0);
    expect(h.engine.track('x', {}, { t: T0 + HOUR })).toEqual([ch('s', true, T0)]);
    expect(h.engine.events()[0]?.t).toBe(T0);
  });

  it('ties: a late event with the same t as a retained one is the more recent (last)', () => {
    const h = harness(one({ last: 'x', of: 'v', eq: 'c' }));
    trackAt(h, T0 + 10, 'x', { v: 'a' });
    h.clock.set(T0 + 20);
    expect(h.engine.track('x', { v: 'c' }, { t: T0 + 10 })).toEqual([ch('s', true, T0 + 20)]);
    expect(h.engine.events().map((e) => e.props?.v)).toEqual(['a', 'c']);
  });

  it('abandoned: an unless event with the same t as A, arrived before A, still ends it', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m' }));
    trackAt(h, T0, 'buy');
    trackAt(h, T0, 'add');
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
    expect(h.engine.has('s')).toBe(false);
  });

  it('sessions: a gap of exactly the timeout starts a new session', () => {
    const h = harness(one({ session: 'number', eq: 2 }, {}, { session: { timeout: '30m' } }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 30 * MIN - 1, 'x')).toEqual([]);
    expect(trackAt(h, T0 + 60 * MIN - 1, 'x')).toEqual([ch('s', true, T0 + 60 * MIN - 1)]);
  });

  it('sessions: with no events every metric is 0', () => {
    const h = harness(ruleSet({ a: { session: 'number', eq: 0 }, b: { session: 'duration', eq: 0 }, c: { session: 'pageViews', eq: 0 }, d: { session: 'events', eq: 0 } }));
    expect(h.engine.members()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sessions: number changes when an old session leaves by retain.for, at the due instant', () => {
    const h = harness(one({ session: 'number', eq: 2 }, {}, { retain: { for: '2h' } }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + HOUR, 'x');
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.nextChange()).toBe(T0 + 2 * HOUR);
    expect(tickAt(h, T0 + 2 * HOUR)).toEqual([ch('s', false, T0 + 2 * HOUR)]);
  });

  it('sessions: a late event bridging two sessions merges them', () => {
    const h = harness(one({ session: 'number', eq: 1 }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + 40 * MIN, 'x');
    expect(h.engine.has('s')).toBe(false);
    h.clock.set(T0 + 41 * MIN);
    expect(h.engine.track('x', {}, { t: T0 + 20 * MIN })).toEqual([ch('s', true, T0 + 41 * MIN)]);
  });

  it('within session: counts events since the start of the latest session only', () => {
    const h = harness(one({ count: 'x', within: 'session', gte: 2 }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + 10 * MIN, 'x');
    expect(h.engine.has('s')).toBe(true);
    expect(trackAt(h, T0 + 50 * MIN, 'x')).toEqual([ch('s', false, T0 + 50 * MIN)]);
    expect(tickAt(h, T0 + 10 * DAY)).toEqual([]);
  });

  it('distinct counts 1 and "1" and true as different primitives, nulls not at all', () => {
    const h = harness(one({ distinct: 'x', of: 'v', eq: 3 }));
    trackAt(h, T0, 'x', { v: 1 });
    trackAt(h, T0, 'x', { v: '1' });
    trackAt(h, T0, 'x', { v: null });
    expect(trackAt(h, T0, 'x', { v: [true, 1, null] })).toEqual([ch('s', true, T0)]);
  });

  it('arrays: empty array passes ne and exists:true only', () => {
    const rules = ruleSet({
      ne: { last: 'x', of: 'v', ne: 1 }, ex: { last: 'x', of: 'v', exists: true }, nex: { last: 'x', of: 'v', exists: false },
      in: { last: 'x', of: 'v', in: [1] }, neq: { last: 'x', of: 'v', eq: null },
    });
    const h = harness(rules);
    trackAt(h, T0, 'x', { v: [] });
    expect(h.engine.members()).toEqual(['ne', 'ex']);
  });

  it('a missing prop: ne and exists:false hold', () => {
    const h = harness(ruleSet({ a: { count: 'x', where: { v: { ne: 'q' } }, gte: 1 }, b: { count: 'x', where: { v: { exists: false } }, gte: 1 }, c: { count: 'x', where: { v: { eq: null } }, gte: 1 } }));
    trackAt(h, T0, 'x', {});
    expect(h.engine.members()).toEqual(['a', 'b', 'c']);
  });

  it('score: Infinity becomes cap; null and strings count 0; true counts 1', () => {
    const h = harness(one({ score: { link: 'linear', bias: 0, terms: [
      { weight: 1, value: { since: 'x' }, cap: 5 },
      { weight: 10, value: { trait: 'flag' } },
      { weight: 100, value: { trait: 'name' } },
      { weight: 1000, value: { avg: 'y', of: 'v' } },
    ] }, eq: 15 }), { traits: { flag: true, name: 'bob' } });
    expect(h.engine.has('s')).toBe(true);
  });

  it('cluster: ties go to the label declared first', () => {
    const h = harness(ruleSet({
      a: { cluster: { features: [{ value: { count: 'x' } }], mean: [0], scale: [1], centroids: { zb: [1], za: [-1] } }, eq: 'zb' },
      b: { cluster: { features: [{ value: { count: 'x' } }], mean: [0], scale: [1], centroids: { za: [-1], zb: [1] } }, eq: 'za' },
    }));
    expect(h.engine.members()).toEqual(['a', 'b']);
  });

  it('hour and weekday passed as context are ignored', () => {
    const h = harness(ruleSet({ h: { context: 'hour', eq: 12 }, w: { context: 'weekday', eq: 1 } }), { context: { hour: 3, weekday: 5 } });
    expect(h.engine.members()).toEqual(['h', 'w']);
    expect(h.engine.setContext({ hour: 4, weekday: 6 })).toEqual([]);
    expect(h.engine.members()).toEqual(['h', 'w']);
  });

  it('hour flips exactly at a zone with a 45-minute offset (Asia/Kathmandu)', () => {
    const h = harness(one({ context: 'hour', eq: 18 }), { timeZone: 'Asia/Kathmandu' });
    // T0 = 12:00 UTC = 17:45 in Kathmandu.
    expect(h.engine.has('s')).toBe(false);
    expect(h.engine.nextChange()).toBe(T0 + 15 * MIN);
    expect(tickAt(h, T0 + 15 * MIN)).toEqual([ch('s', true, T0 + 15 * MIN)]);
  });

  it('identify(null, traits) clears the user id and traits, then applies the traits passed', () => {
    const h = harness(ruleSet({ a: { trait: 'plan', exists: true }, b: { trait: 'x', eq: 1 } }), { userId: 'u', traits: { plan: 'pro' } });
    expect(h.engine.identify(null, { x: 1 })).toEqual([ch('a', false, T0), ch('b', true, T0)]);
    expect(h.engine.userId).toBe(null);
  });

  it('an invalid trait leaves the user id unchanged', () => {
    const h = harness(one({ trait: 'x', exists: true }), { userId: 'u' });
    expect(() => h.engine.identify('v', { x: Infinity })).toThrow(expect.objectContaining({ code: 'invalid_value' }));
    expect(h.engine.userId).toBe('u');
  });

  it('retain.events keeps exactly the newest N; a drop that changes membership is a change', () => {
    const h = harness(one({ count: 'x', where: { k: 1 }, gte: 1 }, {}, { retain: { events: 2 } }));
    trackAt(h, T0, 'x', { k: 1 });
    trackAt(h, T0 + 1, 'x', { k: 2 });
    expect(h.engine.has('s')).toBe(true);
    expect(trackAt(h, T0 + 2, 'x', { k: 3 })).toEqual([ch('s', false, T0 + 2)]);
    expect(h.engine.events().length).toBe(2);
  });

  it('retain.for: an event is dropped when now - t >= retain.for, as a time-driven change', () => {
    const h = harness(one({ count: 'x', gte: 1 }, {}, { retain: { for: '1h' } }));
    trackAt(h, T0, 'x');
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.track('y')).toEqual([ch('s', false, T0 + HOUR)]);
  });

  it('a late event older than retain.for is dropped at once', () => {
    const h = harness(one({ count: 'x', gte: 1 }, {}, { retain: { for: '1h' } }));
    trackAt(h, T0 + 2 * HOUR, 'y');
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.track('x', {}, { t: T0 + HOUR })).toEqual([]);
    expect(h.engine.events().map((e) => e.type)).toEqual(['y']);
  });

  it('window boundary: an event at exactly now - W is outside', () => {
    const h = harness(one({ count: 'x', within: 1000, gte: 1 }));
    trackAt(h, T0, 'x');
    expect(tickAt(h, T0 + 999)).toEqual([]);
    expect(tickAt(h, T0 + 1000)).toEqual([ch('s', false, T0 + 1000)]);
  });

  it('hold: exit at exactly x + hold', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '10m' }));
    trackAt(h, T0, 'x');
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
    expect(h.engine.nextChange()).toBe(T0 + HOUR + 10 * MIN);
    expect(tickAt(h, T0 + HOUR + 10 * MIN)).toEqual([ch('s', false, T0 + HOUR + 10 * MIN)]);
  });

  it('validation warnings: every duration kind longer than retain.for warns', () => {
    const v = validateRules({ version: 1, retain: { for: '1h' }, segments: {
      a: { when: { count: 'x', within: '2h', gte: 1 }, hold: '2h' },
      b: { when: { since: 'x', gte: '2h' } },
      c: { when: { abandoned: 'x', unless: 'y', after: '2h', within: '3h' } },
      d: { when: { score: { terms: [{ weight: 1, value: { count: 'x', within: '2h' } }] }, gt: 0 } },
    } });
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.warnings.map((w) => w.path).sort()).toEqual([
      '/segments/a/hold', '/segments/a/when/within', '/segments/b/when/gte', '/segments/c/when/after', '/segments/c/when/within', '/segments/d/when/score/terms/0/value/within',
    ]);
  });

  it('nesting: 32 levels accepted, 33 rejected', () => {
    let c: unknown = { count: 'x', gte: 1 };
    for (let i = 1; i < 32; i++) c = { not: c };
    expect(validateRules({ version: 1, segments: { a: { when: c } } }).ok).toBe(true);
    expect(validateRules({ version: 1, segments: { a: { when: { not: c } } } }).ok).toBe(false);
  });

  it('score: a since term without cap is an error; cluster feature too', () => {
    const v = validateRules({ version: 1, segments: {
      a: { when: { score: { terms: [{ weight: 1, value: { since: 'x' } }] }, gt: 0 } },
      b: { when: { cluster: { features: [{ value: { since: 'x' } }], mean: [0], scale: [1], centroids: { a: [0] } }, eq: 'a' } },
    } });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.map((e) => e.path)).toEqual(['/segments/a/when/score/terms/0', '/segments/b/when/cluster/features/0']);
  });

  it('setRules: removed exits, then diff exits, then enters', () => {
    const h = harness(ruleSet({ gone: { count: 'x', gte: 0 }, stay: { count: 'x', gte: 0 } }));
    const next: RuleSet = ruleSet({ fresh: { count: 'x', gte: 0 }, stay: { count: 'x', gte: 1 } });
    h.clock.set(T0 + 5);
    expect(h.engine.setRules(next)).toEqual([ch('gone', false, T0 + 5), ch('stay', false, T0 + 5), ch('fresh', true, T0 + 5)]);
  });

  it('on() immediate enter carries t = now()', () => {
    const h = harness(one({ count: 'x', gte: 0 }));
    h.clock.set(T0 + 7);
    const seen: unknown[] = [];
    h.engine.on('s', (c) => seen.push(c));
    expect(seen).toEqual([ch('s', true, T0 + 7)]);
  });

  it('engine created with context applies it from the origin (held)', () => {
    const h = harness(one({ context: 'k', eq: 1 }, { hold: '1h' }), { context: { k: 1 }, events: [{ type: 'x', t: T0 - 10 * MIN }] });
    expect(h.engine.setContext({ k: 2 })).toEqual([]);
    expect(h.engine.explain('s').holdUntil).toBe(T0 + HOUR);
  });

  it('createEngine events: a non-object entry is reported with its index', () => {
    const errors: unknown[] = [];
    createEngine({ rules: one({ count: 'x', gte: 1 }), now: () => T0, events: [{ type: 'x' }, 5 as never, { type: 'BAD' }], onError: (e) => errors.push([e.code, e.message]) });
    expect(errors.length).toBe(2);
  });
});

describe('spec audit: time, holds, replay and API', () => {
  it('hour: a catch-up across several hours gives each flip at its own instant', () => {
    const h = harness(one({ context: 'hour', eq: 13 }));
    expect(tickAt(h, T0 + 5 * HOUR)).toEqual([ch('s', true, T0 + HOUR), ch('s', false, T0 + 2 * HOUR)]);
  });

  it('score with an hour term changes at the hour without events', () => {
    const h = harness(one({ score: { link: 'linear', terms: [{ weight: 1, value: { context: 'hour' } }] }, gte: 13 }));
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('s', true, T0 + HOUR)]);
  });

  it('setRules with a shorter retain.for and fewer retain.events drops events', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + HOUR, 'y');
    trackAt(h, T0 + 2 * HOUR, 'y');
    trackAt(h, T0 + 3 * HOUR, 'y');
    expect(h.engine.setRules(one({ count: 'x', gte: 1 }, {}, { retain: { for: '150m' } }))).toEqual([ch('s', false, T0 + 3 * HOUR)]);
    expect(h.engine.events().map((e) => e.t)).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    h.engine.setRules(one({ count: 'x', gte: 1 }, { hold: '1m' }, { retain: { events: 1 } }));
    expect(h.engine.events().length).toBe(1);
  });

  it('since eq 1h holds at exactly t + 1h only', () => {
    const h = harness(one({ since: 'x', eq: '1h' }));
    trackAt(h, T0, 'x');
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('s', true, T0 + HOUR)]);
    expect(h.engine.nextChange()).toBe(T0 + HOUR + 1);
    expect(tickAt(h, T0 + HOUR + 1)).toEqual([ch('s', false, T0 + HOUR + 1)]);
  });

  it('abandoned within: false when A leaves the window', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m', within: '1h' }));
    trackAt(h, T0, 'add');
    expect(tickAt(h, T0 + 10 * MIN)).toEqual([ch('s', true, T0 + 10 * MIN)]);
    expect(h.engine.nextChange()).toBe(T0 + HOUR);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('s', false, T0 + HOUR)]);
  });

  it('abandoned: a late unless event at or after A ends it', () => {
    const h = harness(one({ abandoned: 'add', unless: 'buy', after: '10m' }));
    trackAt(h, T0, 'add');
    tickAt(h, T0 + 20 * MIN);
    expect(h.engine.has('s')).toBe(true);
    h.clock.set(T0 + 21 * MIN);
    expect(h.engine.track('buy', {}, { t: T0 })).toEqual([ch('s', false, T0 + 21 * MIN)]);
  });

  it('min/max use every numeric array element; last is null when the newest match lacks the prop', () => {
    const h = harness(ruleSet({ mn: { min: 'x', of: 'v', eq: -2 }, mx: { max: 'x', of: 'v', eq: 9 }, l: { last: 'x', of: 'v', eq: null } }));
    trackAt(h, T0, 'x', { v: [3, -2, 'z', 9] });
    expect(h.engine.members()).toEqual(['mn', 'mx']);
    trackAt(h, T0 + 1, 'x', {});
    expect(h.engine.members()).toEqual(['mn', 'mx', 'l']);
  });

  it('explain of a held member: holds false, holdUntil at the exit instant', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '10m' }));
    trackAt(h, T0, 'x');
    tickAt(h, T0 + HOUR + MIN);
    const e = h.engine.explain('s');
    expect([e.member, e.holds, e.holdUntil]).toEqual([true, false, T0 + HOUR + 10 * MIN]);
  });

  it('limits in UTF-16 code units: 256 emoji (512 units) pass, 257 fail', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    expect(() => h.engine.track('x', { v: '😀'.repeat(256) })).not.toThrow();
    expect(() => h.engine.track('x', { v: '😀'.repeat(257) })).toThrow(expect.objectContaining({ code: 'invalid_event' }));
  });

  it('context merged over several calls past 32 keys', () => {
    const h = harness(one({ context: 'k0', exists: true }));
    const a: Record<string, number> = {}, b: Record<string, number> = {};
    for (let i = 0; i < 20; i++) { a[`k${i}`] = i; b[`j${i}`] = i; }
    h.engine.setContext(a);
    let code: unknown = 'none';
    try { h.engine.setContext(b); } catch (e) { code = (e as { code: string }).code; }
    expect(code).toBe('none');
  });

  // Spec 4: later context "takes effect at the instant it is set". The history is bounded like
  // the log, at most the newest 1,000 calls (docs/rules.md): within them every change keeps its
  // instant. This test once made 2,100 calls, when the bound kept the last change of each key
  // instead, which also made values never true together look true from the origin
  // (contextHistory.test.ts has both sides of the new bound).
  it('setRules after 999 more context changes still restores a context-driven hold', () => {
    const h = harness(one({ context: 'k', eq: 1 }, { hold: '1d' }));
    h.clock.set(T0 + 1);
    h.engine.setContext({ k: 1 });
    h.clock.set(T0 + 2);
    h.engine.setContext({ k: 2 });
    expect(h.engine.has('s')).toBe(true);
    for (let i = 0; i < 999; i++) h.engine.setContext({ other: i });
    expect(h.engine.setRules(one({ context: 'k', eq: 1 }, { hold: '1d' }))).toEqual([]);
  });

  it('onError that throws does not break delivery', () => {
    const seen: string[] = [];
    const e = createEngine({ rules: one({ count: 'x', gte: 1 }), now: () => T0, onError: () => { throw new Error('x'); } });
    e.subscribe(() => { throw new Error('boom'); });
    e.subscribe((c) => seen.push(c.segment));
    expect(e.track('x')).toEqual([ch('s', true, T0)]);
    expect(seen).toEqual(['s']);
  });

  it('an on() handler of a removed id gets the exit', () => {
    const h = harness(one({ count: 'x', gte: 0 }));
    const seen: boolean[] = [];
    h.engine.on('s', () => seen.push(true), () => seen.push(false));
    h.engine.setRules(ruleSet({}));
    expect(seen).toEqual([true, false]);
  });

  it('events option: fractional t is floored and ties keep array order', () => {
    const h = harness(one({ last: 'x', of: 'v', eq: 2 }), { events: [{ type: 'x', t: T0 - 0.5, props: { v: 1 } }, { type: 'x', t: T0 - 1, props: { v: 2 } }] });
    expect(h.engine.events().map((e) => e.t)).toEqual([T0 - 1, T0 - 1]);
    expect(h.engine.has('s')).toBe(true);
  });
});

describe('spec audit: retention ties', () => {
  it('retention ties: of two events with equal t, the earlier arrival is dropped first', () => {
    const h = harness(one({ last: 'x', of: 'v', eq: 'c' }, {}, { retain: { events: 1 } }));
    trackAt(h, T0 + 10, 'x', { v: 'a' });
    h.clock.set(T0 + 20);
    h.engine.track('x', { v: 'c' }, { t: T0 + 10 });
    expect(h.engine.events().map((e) => e.props?.v)).toEqual(['c']);
    expect(h.engine.has('s')).toBe(true);
  });
});
