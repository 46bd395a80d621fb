import { describe, expect, it } from 'vitest';
import type { Condition, RuleSet, SegmentRule } from '../../src/types.js';
import { createModel, type ModelOptions } from './createModel.js';
import { exactSum } from './exactSum.js';
import { fnv1a32 } from './fnv1a.js';
import { globMatch } from './glob.js';
import { testValue } from './testValue.js';

/** A model on a fake clock starting at `start`. */
function setup(segments: Record<string, SegmentRule | Condition>, extra: Partial<RuleSet> = {}, opts: Partial<ModelOptions> = {}, start = 1000) {
  const clock = { now: start };
  const segs: Record<string, SegmentRule> = {};
  for (const [id, s] of Object.entries(segments)) segs[id] = 'when' in s ? s : { when: s };
  const rules: RuleSet = { version: 1, ...extra, segments: segs };
  const model = createModel({ rules, now: () => clock.now, timeZone: 'UTC', anonymousId: 'anon', ...opts });
  const at = (t: number) => { clock.now = t; return model; };
  return { model, clock, at };
}
const enter = (segment: string, t: number) => ({ segment, member: true, t });
const exit = (segment: string, t: number) => ({ segment, member: false, t });

describe('model: windows and time', () => {
  it('counts an event inside now-W < t <= now and exits exactly at t + W', () => {
    const { model, at } = setup({ a: { count: 'page_view', within: 10, gte: 1 } });
    expect(at(1000).track('page_view')).toEqual([enter('a', 1000)]);
    expect(model.nextRealChange()).toBe(1010);
    expect(at(1009).tick()).toEqual([]);
    expect(at(1012).tick()).toEqual([exit('a', 1010)]);
  });

  it('reports a window expiry due now before the call\'s own effect (exit, then enter)', () => {
    const { at } = setup({ a: { count: 'page_view', within: '10ms', gte: 1 } });
    at(1000).track('page_view');
    expect(at(1010).track('page_view')).toEqual([exit('a', 1010), enter('a', 1010)]);
  });

  it('orders an instant\'s changes: exits first, then enters, each in declaration order', () => {
    const { at } = setup({
      b: { count: 'x', gte: 1 },
      a: { count: 'y', within: 5, gte: 1 },
      c: { not: { count: 'x', gte: 1 } },
    });
    at(1000).track('y');
    expect(at(1005).track('x')).toEqual([exit('a', 1005), exit('c', 1005), enter('b', 1005)]);
  });

  it('finds changes across long gaps (30m windows, hours of silence)', () => {
    const { model, at } = setup({ a: { count: 'page_view', within: '30m', gte: 2 }, b: { since: 'page_view', gte: '1h' } });
    at(1000).track('page_view');
    at(61_000).track('page_view');
    expect(model.nextRealChange()).toBe(1000 + 1_800_000);
    expect(at(10_000_000).tick()).toEqual([exit('a', 1_801_000), enter('b', 3_661_000)]);
  });
});

describe('model: values', () => {
  it('gives empty aggregates 0, null or Infinity', () => {
    const { model } = setup({
      sum0: { sum: 'purchase', of: 'value', eq: 0 },
      minNull: { min: 'purchase', of: 'value', eq: null },
      avgGt: { avg: 'purchase', of: 'value', gt: -1 },
      lastNe: { last: 'purchase', of: 'value', ne: 5 },
      sinceInf: { since: 'purchase', gt: '100d' },
      distinct0: { distinct: '*', of: 'x', eq: 0 },
    });
    expect(model.members()).toEqual(['sum0', 'minNull', 'lastNe', 'sinceInf', 'distinct0']);
  });

  it('aggregates numeric values and array elements, ignoring others', () => {
    const { model, at } = setup({
      sum: { sum: '*', of: 'v', eq: 7.5 },
      min: { min: '*', of: 'v', eq: -1 },
      avg: { avg: '*', of: 'v', eq: 1.5 },
      distinct: { distinct: '*', of: 'v', eq: 6 },
    });
    at(1000).track('a', { v: [1, 2, 'x', null] });
    at(1001).track('b', { v: -1 });
    at(1002).track('c', { v: 5.5 });
    at(1003).track('d', { v: '1' });
    at(1004).track('d', { v: true });
    // numbers 1, 2, -1, 5.5 -> sum 7.5, avg 1.875; distinct 1, 2, 'x', -1, 5.5, '1', true = 7
    expect(model.members()).toEqual(['sum', 'min']);
  });

  it('breaks ties of equal t by arrival: the later arrival is the more recent', () => {
    const { model, at } = setup({ lastB: { last: 'e', of: 'k', eq: 'b' } });
    at(1000).track('e', { k: 'a' });
    at(1000).track('e', { k: 'b' });
    expect(model.members()).toEqual(['lastB']);
    at(1001).track('e', { k: 'a' }, { t: 1000 });
    expect(model.members()).toEqual([]);
  });

  it('sums exactly, rounding once', () => {
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(exactSum([1e308, 1e308, -1e308])).toBe(1e308);
    expect(exactSum([1, 1e100, -1e100])).toBe(1);
    expect(exactSum([5e-324, 5e-324])).toBe(1e-323);
    expect(exactSum([])).toBe(0);
    expect(exactSum([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Infinity);
  });

  it('computes bucket with 32-bit FNV-1a', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    const { model } = setup({ low: { bucket: 'exp1', lt: fnv1a32('exp1:anon') / 2 ** 32 + 1e-9 }, high: { bucket: 'exp1', gte: 0.99999999 } });
    expect(model.members()).toEqual(['low']);
  });
});

describe('model: tests on a value', () => {
  it('applies operators element-wise on arrays except ne and exists', () => {
    expect(testValue({ eq: 2 }, [1, 2])).toBe(true);
    expect(testValue({ ne: 2 }, [1, 2])).toBe(false);
    expect(testValue({ ne: 3 }, [1, 2])).toBe(true);
    expect(testValue({ gt: 1, lt: 2 }, [0, 5])).toBe(true);
    expect(testValue({ exists: true }, [])).toBe(true);
    expect(testValue({ ne: 1 }, [])).toBe(true);
    expect(testValue({ eq: null }, [])).toBe(false);
    expect(testValue({ in: [] }, 'a')).toBe(false);
    expect(testValue({ ne: 'a' }, undefined)).toBe(true);
    expect(testValue({ exists: false }, undefined)).toBe(true);
    expect(testValue({ exists: false }, null)).toBe(true);
    expect(testValue({ gt: 0 }, '5')).toBe(false);
    expect(testValue({ prefix: '1' }, 1)).toBe(false);
    expect(testValue({ gt: 5 }, Infinity)).toBe(true);
  });

  it('matches globs: * stops at /, ** does not, ? is one character', () => {
    expect(globMatch('/product/*', '/product/12')).toBe(true);
    expect(globMatch('/product/*', '/product/12/x')).toBe(false);
    expect(globMatch('/product/**', '/product/12/x')).toBe(true);
    expect(globMatch('/product/***', '/product/12/x')).toBe(true);
    expect(globMatch('/p/?', '/p/a')).toBe(true);
    expect(globMatch('/p/?', '/p/')).toBe(false);
    expect(globMatch('?', '/')).toBe(false);
    expect(globMatch('a*b', 'ab')).toBe(true);
    expect(globMatch('**', '')).toBe(true);
    expect(globMatch('*.html', 'a/b.html')).toBe(false);
    expect(globMatch('[a]', '[a]')).toBe(true);
    expect(globMatch('a**b**c', 'a/x/b/y/c')).toBe(true);
    expect(globMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(60))).toBe(false);
  });
});

describe('model: abandoned, sessions, since', () => {
  it('restarts abandoned on a second add_to_cart and ends it on a purchase', () => {
    const { model, at } = setup({ ab: { abandoned: 'add_to_cart', unless: 'purchase', after: 10 } });
    at(1000).track('add_to_cart');
    at(1005).track('add_to_cart');
    expect(model.nextRealChange()).toBe(1015);
    expect(at(1020).tick()).toEqual([enter('ab', 1015)]);
    expect(at(1021).track('purchase', {}, { t: 1005 })).toEqual([exit('ab', 1021)]);
  });

  it('honours abandoned.within and a where on unless', () => {
    const { model, at } = setup({ ab: { abandoned: 'add_to_cart', unless: { event: 'purchase', where: { value: { gt: 0 } } }, after: 5, within: 8 } });
    at(1000).track('add_to_cart');
    at(1001).track('purchase', { value: 0 });
    expect(at(1006).tick()).toEqual([enter('ab', 1005)]);
    expect(at(1010).tick()).toEqual([exit('ab', 1008)]);
    expect(model.members()).toEqual([]);
  });

  it('splits sessions at gaps >= timeout and reads the latest one', () => {
    const { model, at } = setup({
      two: { session: 'number', eq: 2 },
      pv: { session: 'pageViews', eq: 1 },
      dur: { session: 'duration', eq: '3ms' },
      inSession: { count: '*', within: 'session', eq: 2 },
    }, { session: { timeout: 10 } });
    at(1000).track('page_view');
    at(1005).track('click');
    at(1015).track('page_view');
    expect(model.members()).toEqual(['two', 'pv']);
    at(1018).track('click');
    expect(model.members()).toEqual(['two', 'pv', 'dur', 'inSession']);
    // a late event bridging the gap merges the two sessions
    at(1019).track('x', {}, { t: 1010 });
    expect(model.members()).toEqual([]);
  });

  it('crosses since thresholds exactly', () => {
    const { at } = setup({ s: { since: 'page_view', gt: 5, lte: '8ms' } });
    at(1000).track('page_view');
    expect(at(1100).tick()).toEqual([enter('s', 1006), exit('s', 1009)]);
  });
});

describe('model: hold and segments', () => {
  it('exits exactly at x + hold, x the instant the condition turned false', () => {
    const { model, at } = setup({ a: { when: { count: 'e', within: 10, gte: 1 }, hold: 5 }, ref: { segment: 'a' } });
    at(1000).track('e');
    expect(model.members()).toEqual(['a', 'ref']);
    expect(at(1014).tick()).toEqual([]);
    expect(model.nextRealChange()).toBe(1015);
    expect(at(1015).tick()).toEqual([exit('a', 1015), exit('ref', 1015)]);
  });

  it('cancels a running hold when the condition holds again', () => {
    const { at } = setup({ a: { when: { count: 'e', within: 10, gte: 1 }, hold: 5 } });
    at(1000).track('e');
    at(1012).track('e');
    expect(at(1040).tick()).toEqual([exit('a', 1027)]);
  });

  it('starts a hold at the instant an event makes the condition false', () => {
    const { at } = setup({ a: { when: { count: 'purchase', eq: 0 }, hold: 3 } });
    expect(at(1000).track('purchase')).toEqual([]);
    expect(at(1010).tick()).toEqual([exit('a', 1003)]);
  });
});

describe('model: retention, late and future events', () => {
  it('keeps the newest retain.events and drops at now - t >= retain.for', () => {
    const { model, at } = setup({ three: { count: '*', gte: 3 }, one: { count: '*', gte: 1 } }, { retain: { events: 2, for: 20 } });
    at(1000).track('a');
    at(1001).track('b');
    at(1002).track('c');
    expect(model.events().map((e) => e.type)).toEqual(['b', 'c']);
    expect(model.members()).toEqual(['one']);
    expect(at(1030).tick()).toEqual([exit('one', 1022)]);
    expect(model.events()).toEqual([]);
  });

  it('counts a late event as if in order without rewriting the past; records a future t at now', () => {
    const { model, at } = setup({ a: { count: 'e', within: 10, gte: 2 } });
    at(1000).track('e');
    expect(at(1005).track('e', {}, { t: 998 })).toEqual([enter('a', 1005)]);
    expect(model.nextRealChange()).toBe(1008);
    expect(at(1006).track('x', {}, { t: 99_999 })).toEqual([]);
    expect(model.events().map((e) => e.t)).toEqual([998, 1000, 1006]);
    at(1007.9).track('y', {}, { t: 1006.7 });
    expect(model.events().map((e) => e.t)).toEqual([998, 1000, 1006, 1006]);
  });
});

describe('model: context, traits, rules', () => {
  it('computes hour in the time zone and follows the clock (Asia/Kathmandu, +05:45)', () => {
    const start = Date.UTC(2026, 0, 4, 18, 14, 59, 990); // 23:59:59.990 local on a Sunday
    const { model, at } = setup({ h23: { context: 'hour', eq: 23 }, mon: { context: 'weekday', eq: 1 } }, {}, { timeZone: 'Asia/Kathmandu', context: { hour: 5 } }, start);
    expect(model.members()).toEqual(['h23']);
    expect(model.nextRealChange()).toBe(start + 10);
    expect(at(start + 20).tick()).toEqual([exit('h23', start + 10), enter('mon', start + 10)]);
  });

  it('merges context and traits; null removes a key; identify(null) clears traits', () => {
    const { model, at } = setup({ mobile: { context: 'device', eq: 'mobile' }, vip: { trait: 'tier', in: ['gold'] }, none: { trait: 'tier', eq: null } });
    expect(at(1000).setContext({ device: 'mobile' })).toEqual([enter('mobile', 1000)]);
    expect(at(1001).identify('u1', { tier: 'gold' })).toEqual([exit('none', 1001), enter('vip', 1001)]);
    expect(model.userId()).toBe('u1');
    expect(at(1002).setContext({ device: null })).toEqual([exit('mobile', 1002)]);
    expect(at(1003).identify(null, { x: 1 })).toEqual([exit('vip', 1003), enter('none', 1003)]);
    expect(model.userId()).toBe(null);
  });

  it('setRules: removed members exit first, then the diff; the replay restores a running hold', () => {
    const { model, at } = setup({ old: { count: '*', gte: 1 }, keep: { count: 'e', gte: 2 } });
    at(1000).track('e');
    at(1010).track('e');
    const changes = at(1020).setRules({
      version: 1,
      segments: { fresh: { when: { count: 'e', within: 15, gte: 1 }, hold: 10 }, keep: { when: { count: 'e', gte: 3 } } },
    });
    expect(changes).toEqual([exit('old', 1020), exit('keep', 1020), enter('fresh', 1020)]);
    expect(at(1100).tick()).toEqual([exit('fresh', 1035)]);
    expect(model.members()).toEqual([]);
  });

  it('replays with the traits in effect at each past instant (initial ones from the origin)', () => {
    const { model, at } = setup({ x: { count: '*', gte: 0 } }, {}, { traits: { age: 2 } });
    at(1002).identify('u', { age: null });
    const changes = at(1102).setRules({ version: 1, segments: { old: { when: { trait: 'age', eq: 2 }, hold: 200 }, gone: { when: { trait: 'age', eq: 2 }, hold: 1 } } });
    expect(changes).toEqual([exit('x', 1102), enter('old', 1102)]);
    expect(model.explainState('old')).toEqual({ member: true, holds: false, holdUntil: 1202 });
  });

  it('replays calls of one instant in arrival order (a trait that held briefly starts a hold)', () => {
    const { model, at } = setup({ x: { count: '*', gte: 0 } });
    at(1000).identify('u', { age: 0 });
    model.track('e');
    model.identify('u', { age: 1 });
    const changes = model.setRules({ version: 1, segments: { young: { when: { trait: 'age', lte: 0 }, hold: 1 } } });
    expect(changes).toEqual([exit('x', 1000), enter('young', 1000)]);
    expect(at(1005).tick()).toEqual([exit('young', 1001)]);
  });

  it('replays the events option from the origin, restoring holds', () => {
    const { model, at } = setup({ a: { when: { count: 'e', within: 10, gte: 1 }, hold: 20 } }, {}, { events: [{ type: 'e', t: 985 }] });
    expect(model.members()).toEqual(['a']);
    expect(at(1100).tick()).toEqual([exit('a', 1015)]);
  });

  it('scores and clusters', () => {
    const { model, at } = setup({
      lin: { score: { bias: -1, link: 'linear', terms: [{ weight: 2, value: { count: 'e' } }, { weight: 1, value: { since: 'e' }, cap: 3 }] }, eq: 4 },
      logit: { score: { terms: [{ weight: 1, value: { trait: 'x' } }] }, gt: 0.5 },
      cl: { cluster: { features: [{ value: { count: 'e' } }], mean: [1], scale: [2], centroids: { low: [0], high: [0.5] } }, eq: 'high' },
    });
    at(1000).track('e');
    at(1001).identify('u', { x: true });
    // lin = -1 + 2 * 1 + min(1, 3) = 2 at 1001; 4 once since >= 3 (capped at 3)
    expect(model.members()).toEqual(['logit']);
    expect(at(1010).tick()).toEqual([enter('lin', 1003)]);
    at(1011).track('e');
    // z = (2 - 1) / 2 = 0.5 -> high; lin = -1 + 4 + 0 = 3
    expect(model.members()).toEqual(['logit', 'cl']);
  });
});
