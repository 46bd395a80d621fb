import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { ch, expectFlipAt, harness, one, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import { fakeClock, HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('edge cases', () => {
  it('since eq D holds for exactly one millisecond', () => {
    const h = harness(one({ since: 'x', eq: '1h' }));
    trackAt(h, T0, 'x');
    expectFlipAt(h, 's', T0 + HOUR, true);
    expectFlipAt(h, 's', T0 + HOUR + 1, false);
  });

  it('since ne D is false for exactly one millisecond', () => {
    const h = harness(one({ all: [{ count: 'x', gte: 1 }, { since: 'x', ne: '1h' }] }));
    expect(trackAt(h, T0, 'x')).toEqual([ch('s', true, T0)]);
    expectFlipAt(h, 's', T0 + HOUR, false);
    expectFlipAt(h, 's', T0 + HOUR + 1, true);
  });

  it('a window expiring as a new event arrives, under hold, changes nothing', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '10m' }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + HOUR, 'x')).toEqual([]);
    expect(h.log).toEqual([ch('s', true, T0)]);
    expectFlipAt(h, 's', T0 + 2 * HOUR + 10 * MIN, false);
  });

  it('retention by count: a late event in the middle evicts the oldest', () => {
    const h = harness(ruleSet({ oldest: { count: 'x', where: { n: 1 }, gte: 1 } }, { retain: { events: 2 } }));
    trackAt(h, T0 + 10, 'x', { n: 1 });
    trackAt(h, T0 + 20, 'x', { n: 3 });
    h.clock.set(T0 + 30);
    expect(h.engine.track('x', { n: 2 }, { t: T0 + 15 })).toEqual([ch('oldest', false, T0 + 30)]);
    expect(h.engine.events().map((e) => e.props?.['n'])).toEqual([2, 3]);
  });

  it('within "session" for sum, distinct and last', () => {
    const h = harness(ruleSet({
      sum: { sum: 'x', of: 'v', within: 'session', gte: 10 },
      distinct: { distinct: 'x', of: 'v', within: 'session', gte: 2 },
      last: { last: 'x', of: 'v', within: 'session', eq: 5 },
    }));
    expect(trackAt(h, T0, 'x', { v: 5 })).toEqual([ch('last', true, T0)]);
    expect(trackAt(h, T0 + MIN, 'x', { v: 6 })).toEqual([ch('last', false, T0 + MIN), ch('sum', true, T0 + MIN), ch('distinct', true, T0 + MIN)]);
    expect(trackAt(h, T0 + HOUR, 'y')).toEqual([ch('sum', false, T0 + HOUR), ch('distinct', false, T0 + HOUR)]);
    expect(h.engine.has('last')).toBe(false);
    expect(trackAt(h, T0 + HOUR + 1, 'x', { v: 5 })).toEqual([ch('last', true, T0 + HOUR + 1)]);
  });

  it('a late event that bridges two sessions changes within "session" counts', () => {
    const h = harness(one({ count: 'page_view', within: 'session', gte: 3 }));
    trackAt(h, T0, 'page_view');
    trackAt(h, T0 + 20 * MIN, 'page_view');
    trackAt(h, T0 + 70 * MIN, 'page_view');
    expect(h.engine.has('s')).toBe(false);
    h.clock.set(T0 + 71 * MIN);
    expect(h.engine.track('page_view', {}, { t: T0 + 45 * MIN })).toEqual([ch('s', true, T0 + 71 * MIN)]);
  });

  it('setRules with a new session timeout recomputes sessions', () => {
    const h = harness(one({ session: 'number', eq: 2 }, {}, { session: { timeout: '30m' } }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 20 * MIN, 'x')).toEqual([]);
    h.clock.set(T0 + 21 * MIN);
    expect(h.engine.setRules(one({ session: 'number', eq: 2 }, {}, { session: { timeout: '10m' } }))).toEqual([ch('s', true, T0 + 21 * MIN)]);
  });

  it('distinct counts a value once even when repeated inside one array', () => {
    const h = harness(one({ distinct: 'x', of: 'v', eq: 1 }));
    expect(trackAt(h, T0, 'x', { v: ['a', 'a'] })).toEqual([ch('s', true, T0)]);
  });

  it('members() returns a copy', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    trackAt(h, T0, 'x');
    const m = h.engine.members();
    m.push('zzz');
    m.length = 0;
    expect(h.engine.members()).toEqual(['s']);
  });

  it('two engines share no state', () => {
    const c1 = fakeClock(T0);
    const c2 = fakeClock(T0 + 5 * HOUR);
    const rules = ruleSet({ x: { count: 'x', within: '1h', gte: 1 }, six: { context: 'hour', eq: 18 } });
    const a = createEngine({ rules, now: c1.now, timeZone: 'UTC' });
    const b = createEngine({ rules, now: c2.now, timeZone: 'Asia/Kolkata' });
    a.track('x');
    expect(a.members()).toEqual(['x']);
    expect(b.members()).toEqual([]);
    expect(b.events()).toEqual([]);
    // 22:30 in Kolkata: the next 18:00 there is 12:30Z tomorrow (earlier wake-ups are allowed)
    expect(b.nextChange()).toBeGreaterThan(T0 + 5 * HOUR);
    expect(b.nextChange()).toBeLessThanOrEqual(Date.UTC(2026, 0, 6, 12, 30));
    expect(a.nextChange()).toBeLessThanOrEqual(T0 + HOUR);
  });

  it('identify with the same traits emits nothing; hold on a trait segment starts at identify time', () => {
    const h = harness(one({ trait: 'plan', eq: 'pro' }, { hold: '1h' }), { traits: { plan: 'pro' } });
    h.clock.set(T0 + 1);
    expect(h.engine.identify('u', { plan: 'pro' })).toEqual([]);
    h.clock.set(T0 + 10 * MIN);
    expect(h.engine.identify('u', { plan: null })).toEqual([]);
    expect(tickAt(h, T0 + HOUR + 10 * MIN - 1)).toEqual([]);
    expect(tickAt(h, T0 + HOUR + 10 * MIN)).toEqual([ch('s', false, T0 + HOUR + 10 * MIN)]);
  });

  it('a hold changed by setRules while it runs applies the new duration from the original instant', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '2h' }));
    trackAt(h, T0, 'x');
    tickAt(h, T0 + 90 * MIN);
    expect(h.engine.has('s')).toBe(true);
    // with a 30m hold the condition (false since T0+1h) would have ended at T0+1h30m: exit now
    expect(h.engine.setRules(one({ count: 'x', within: '1h', gte: 1 }, { hold: '30m' }))).toEqual([ch('s', false, T0 + 90 * MIN)]);
  });
});

describe('more edges: holds meeting calls, retention changed by setRules', () => {
  it('a hold ending exactly when a call makes the condition true again gives exit, then enter', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '30m' }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 90 * MIN, 'x')).toEqual([ch('s', false, T0 + 90 * MIN), ch('s', true, T0 + 90 * MIN)]);
    expect(h.engine.members()).toEqual(['s']);
  });

  it('a call one millisecond before the hold ends keeps the member without any change', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '30m' }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 90 * MIN - 1, 'x')).toEqual([]);
    expect(h.log).toEqual([ch('s', true, T0)]);
  });

  it('setRules with a smaller retain.events drops events at once; a larger one cannot bring them back', () => {
    const seg = { count: 'x', gte: 3 } as const;
    const h = harness(one(seg, {}, { retain: { events: 10 } }));
    for (let i = 0; i < 4; i++) trackAt(h, T0 + i, 'x', { n: i });
    expect(h.engine.has('s')).toBe(true);
    h.clock.set(T0 + 10);
    expect(h.engine.setRules(one(seg, {}, { retain: { events: 2 } }))).toEqual([ch('s', false, T0 + 10)]);
    expect(h.engine.events().map((e) => e.props?.['n'])).toEqual([2, 3]);
    h.clock.set(T0 + 11);
    expect(h.engine.setRules(one(seg, {}, { retain: { events: 10 } }))).toEqual([]);
    expect(h.engine.events()).toHaveLength(2);
  });

  it('setRules with a shorter retain.for drops old events at once', () => {
    const seg = { count: 'x', gte: 1 } as const;
    const h = harness(one(seg));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.setRules(one(seg, {}, { retain: { for: '1h' } }))).toEqual([ch('s', false, T0 + 2 * HOUR)]);
    expect(h.engine.events()).toEqual([]);
  });

  it('explain shows segment references and model values', () => {
    const h = harness(ruleSet({
      a: { count: 'x', gte: 1 },
      b: { all: [{ segment: 'a' }, { score: { link: 'linear', terms: [{ weight: 2, value: { count: 'x' } }] }, gte: 2 }] },
    }));
    trackAt(h, T0, 'x');
    const x = h.engine.explain('b');
    expect(x).toMatchObject({ member: true, holds: true, holdUntil: null });
    expect(x.condition.children).toMatchObject([
      { kind: 'segment', path: '/segments/b/when/all/0', verdict: true, value: true },
      { kind: 'score', path: '/segments/b/when/all/1', verdict: true, value: 2 },
    ]);
  });
});
