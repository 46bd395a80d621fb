import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/index.js';
import type { RuleSet, SegEvent } from '../src/index.js';
import { ch, expectFlipAt, harness, one, ruleSet, tickAt, trackAt } from './helpers/setup.js';
import type { Harness } from './helpers/setup.js';
import { fakeClock, HOUR, MIN, T0 } from './helpers/fakeClock.js';

function restore(rules: RuleSet, at: number, events: SegEvent[], extra: { context?: Record<string, string> } = {}): Harness {
  const clock = fakeClock(at);
  const engine = createEngine({ rules, now: clock.now, timeZone: 'UTC', anonymousId: 'anon-test-1', events, ...extra });
  const log: Harness['log'] = [];
  engine.subscribe((c) => log.push(c));
  return { engine, clock, log };
}

describe('the past: origin, late events and replay (spec 4)', () => {
  it('a late event does not rewrite membership already decided: its hold effect starts when processed', () => {
    const h = harness(one({ not: { count: 'x', within: '3h', gte: 1 } }, { hold: '1h' }));
    expect(h.engine.has('s')).toBe(true);
    h.clock.set(T0 + 2 * HOUR);
    // in order, the condition would have turned false at T0+1h30m (exit at T0+2h30m); late, it turns false now
    expect(h.engine.track('x', {}, { t: T0 + 90 * MIN })).toEqual([]);
    expect(tickAt(h, T0 + 2 * HOUR + 30 * MIN)).toEqual([]);
    expect(h.engine.has('s')).toBe(true);
    expectFlipAt(h, 's', T0 + 3 * HOUR, false);
    // the late event still leaves the window by its own t
    expectFlipAt(h, 's', T0 + 4 * HOUR + 30 * MIN, true);
  });

  it('a late event whose effect lies wholly in the past enters nobody', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '2h' }));
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.track('x', {}, { t: T0 + 30 * MIN })).toEqual([]);
    expect(h.engine.has('s')).toBe(false);
  });

  it('the origin is 1 ms before the oldest restored event: a condition true there can be held', () => {
    const rules = one({ count: 'x', eq: 0 }, { hold: '10h' });
    const h = restore(rules, T0 + 5 * HOUR, [{ type: 'x', t: T0 }]);
    expect(h.engine.members()).toEqual(['s']);
    expect(tickAt(h, T0 + 10 * HOUR - 1)).toEqual([]);
    expect(h.engine.nextChange()).toBe(T0 + 10 * HOUR);
    expect(tickAt(h, T0 + 10 * HOUR)).toEqual([ch('s', false, T0 + 10 * HOUR)]);
  });

  it('with no history the origin is the creation instant: an hour condition before it does not count', () => {
    const rules = one({ context: 'hour', eq: 12 }, { hold: '2h' });
    const fresh = restore(rules, T0 + 90 * MIN, []);
    expect(fresh.engine.members()).toEqual([]);
    // with an event at 12:00 the origin is 11:59:59.999, so 12:00-13:00 counted and the hold runs to 15:00
    const reloaded = restore(rules, T0 + 90 * MIN, [{ type: 'x', t: T0 }]);
    expect(reloaded.engine.members()).toEqual(['s']);
    expect(tickAt(reloaded, T0 + 3 * HOUR - 1)).toEqual([]);
    expect(tickAt(reloaded, T0 + 3 * HOUR)).toEqual([ch('s', false, T0 + 3 * HOUR)]);
  });

  it('setRules replays context changes at the instants they were set, restoring a context-driven hold', () => {
    const mobile = { when: { context: 'device', eq: 'mobile' }, hold: '1h' } as const;
    const h = harness(ruleSet({ mobile }));
    h.clock.set(T0 + HOUR);
    expect(h.engine.setContext({ device: 'mobile' })).toEqual([ch('mobile', true, T0 + HOUR)]);
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.setContext({ device: 'desktop' })).toEqual([]);
    h.clock.set(T0 + 2 * HOUR + 30 * MIN);
    expect(h.engine.setRules(ruleSet({ mobile, other: { count: 'x', gte: 1 } }))).toEqual([]);
    expect(h.engine.members()).toEqual(['mobile']);
    expectFlipAt(h, 'mobile', T0 + 3 * HOUR, false);
  });

  it('setRules replays trait changes at the instants they were set', () => {
    const pro = { when: { trait: 'plan', eq: 'pro' }, hold: '1h' } as const;
    const h = harness(ruleSet({ pro }));
    h.clock.set(T0 + HOUR);
    h.engine.identify('u', { plan: 'pro' });
    h.clock.set(T0 + 2 * HOUR);
    h.engine.identify('u', { plan: 'free' });
    h.clock.set(T0 + 2 * HOUR + 30 * MIN);
    expect(h.engine.setRules(ruleSet({ pro, x: { count: 'x', gte: 1 } }))).toEqual([]);
    expect(h.engine.has('pro')).toBe(true);
    expectFlipAt(h, 'pro', T0 + 3 * HOUR, false);
  });

  it('a hold whose cause has left the log by retain.events is not restored by a reload', () => {
    const rules = ruleSet({ bought: { when: { count: 'purchase', within: '1h', gte: 1 }, hold: '1d' } }, { retain: { events: 2 } });
    const h = harness(rules);
    trackAt(h, T0, 'purchase');
    trackAt(h, T0 + 2 * HOUR, 'page_view');
    trackAt(h, T0 + 3 * HOUR, 'page_view');
    // live, the hold keeps running although the purchase was evicted
    expect(h.engine.has('bought')).toBe(true);
    const reloaded = restore(rules, T0 + 3 * HOUR, [...h.engine.events()]);
    expect(reloaded.engine.events()).toHaveLength(2);
    expect(reloaded.engine.has('bought')).toBe(false);
  });

  it('a reload restores the same memberships and next change as the live engine', () => {
    const rules = ruleSet({
      hi: { when: { count: 'page_view', within: '1h', gte: 2 }, hold: '30m' },
      quiet: { all: [{ count: '*', gte: 1 }, { since: '*', gte: '2h' }] },
      ab: { abandoned: 'add_to_cart', unless: 'purchase', after: '20m' },
    });
    const h = harness(rules);
    trackAt(h, T0, 'page_view');
    trackAt(h, T0 + 10 * MIN, 'page_view');
    trackAt(h, T0 + 15 * MIN, 'add_to_cart');
    tickAt(h, T0 + 80 * MIN);
    const reloaded = restore(rules, T0 + 80 * MIN, [...h.engine.events()]);
    expect(reloaded.engine.members()).toEqual(h.engine.members());
    expect(h.engine.members()).toEqual(['hi', 'ab']);
    expect(tickAt(reloaded, T0 + 5 * HOUR)).toEqual(tickAt(h, T0 + 5 * HOUR));
  });

  it('a reload with a hold walks only the held segment; the others, and the hour, come out as live', () => {
    // The unheld segments' leaves sit out the walk and are rebuilt at its end; the hour is not
    // struck during it. Both must leave no trace: same members, same next change, same future.
    const rules = ruleSet({
      held: { when: { count: 'purchase', within: '2h', gte: 1 }, hold: '3h' },
      evening: { context: 'hour', gte: 18 },
      browsing: { count: 'page_view', within: '90m', gte: 3 },
      variety: { distinct: 'view_item', of: 'sku', within: '2h', gte: 2 },
      pricey: { max: 'view_item', of: 'price', within: '1h', gte: 100 },
      spent: { sum: 'purchase', of: 'value', within: '4h', gte: 50 },
      'last-page': { last: 'page_view', of: 'path', within: '30m', prefix: '/product/' },
    });
    const h = harness(rules);
    for (let i = 0; i < 60; i++) {
      const t = T0 + i * 13 * MIN;
      if (i % 7 === 3) trackAt(h, t, 'purchase', { value: 10 + i });
      else if (i % 3 === 0) trackAt(h, t, 'view_item', { sku: `s${i % 4}`, price: i * 7 });
      else trackAt(h, t, 'page_view', { path: i % 2 ? '/product/x' : '/' });
    }
    const at = T0 + 60 * 13 * MIN;
    tickAt(h, at);
    const reloaded = restore(rules, at, [...h.engine.events()]);
    expect(reloaded.engine.members()).toEqual(h.engine.members());
    expect(reloaded.engine.nextChange()).toBe(h.engine.nextChange());
    const changes = [];
    for (let t = at + 7 * MIN; t < at + 30 * HOUR; t += 41 * MIN) {
      const live = tickAt(h, t);
      expect(tickAt(reloaded, t)).toEqual(live);
      changes.push(...live);
    }
    // 18:00 the next day is struck although no held segment reads the hour
    expect(changes).toContainEqual({ segment: 'evening', member: true, t: T0 + 30 * HOUR });
  });

  it('restored events in the future are recorded at now(), missing t means now()', () => {
    const h = restore(one({ count: 'x', within: '1h', gte: 2 }), T0, [{ type: 'x', t: T0 + 5 * HOUR }, { type: 'x' }]);
    expect(h.engine.events().map((e) => e.t)).toEqual([T0, T0]);
    expect(h.engine.has('s')).toBe(true);
    expectFlipAt(h, 's', T0 + HOUR, false);
  });

  it('re-entrant setRules from a callback returns [] and runs afterwards', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 } }));
    const inner: unknown[] = [];
    h.engine.subscribe((c) => {
      if (c.segment === 'a') inner.push(h.engine.setRules(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'x', gte: 1 } })));
    });
    expect(trackAt(h, T0, 'x')).toEqual([ch('a', true, T0)]);
    expect(inner).toEqual([[]]);
    expect(h.log).toEqual([ch('a', true, T0), ch('b', true, T0)]);
  });

  it('setRules with the same rules emits nothing; members follow the new declaration order', () => {
    const r1 = ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'x', gte: 1 } });
    const h = harness(r1);
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 1);
    expect(h.engine.setRules(r1)).toEqual([]);
    expect(h.engine.setRules(ruleSet({ b: { count: 'x', gte: 1 }, a: { count: 'x', gte: 1 } }))).toEqual([]);
    expect(h.engine.members()).toEqual(['b', 'a']);
  });
});
