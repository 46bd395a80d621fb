import { describe, expect, it } from 'vitest';
import { ch, harness, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import { DAY, HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('session', () => {
  it('with no events, every metric is 0', () => {
    const h = harness(ruleSet({
      pv: { session: 'pageViews', eq: 0 },
      ev: { session: 'events', eq: 0 },
      du: { session: 'duration', eq: 0 },
      nu: { session: 'number', eq: 0 },
    }));
    expect(h.engine.members()).toEqual(['pv', 'ev', 'du', 'nu']);
  });

  it('pageViews counts page_view events of the latest session, events counts all of them', () => {
    const h = harness(ruleSet({
      pv2: { session: 'pageViews', eq: 2 },
      ev3: { session: 'events', eq: 3 },
    }));
    trackAt(h, T0, 'page_view');
    trackAt(h, T0 + MIN, 'click');
    expect(trackAt(h, T0 + 2 * MIN, 'page_view')).toEqual([ch('pv2', true, T0 + 2 * MIN), ch('ev3', true, T0 + 2 * MIN)]);
    // a new session (30m default timeout) resets both
    expect(trackAt(h, T0 + 32 * MIN, 'page_view')).toEqual([ch('pv2', false, T0 + 32 * MIN), ch('ev3', false, T0 + 32 * MIN)]);
  });

  it('timeout boundary: a gap of exactly timeout starts a new session, one ms less does not', () => {
    const h = harness(ruleSet({ second: { session: 'number', eq: 2 }, ev2: { session: 'events', eq: 2 } }, { session: { timeout: '10m' } }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 10 * MIN - 1, 'x')).toEqual([ch('ev2', true, T0 + 10 * MIN - 1)]);
    expect(trackAt(h, T0 + 20 * MIN - 1, 'x')).toEqual([ch('ev2', false, T0 + 20 * MIN - 1), ch('second', true, T0 + 20 * MIN - 1)]);
  });

  it('duration is last minus first event time and does not grow with the clock', () => {
    const h = harness(ruleSet({ long: { session: 'duration', gt: '10m' } }));
    trackAt(h, T0, 'page_view');
    trackAt(h, T0 + 9 * MIN, 'page_view');
    expect(tickAt(h, T0 + 20 * MIN)).toEqual([]);
    expect(h.engine.has('long')).toBe(false);
    // 9m -> 20m is a gap of 11m, under the 30m timeout: same session, duration now 20m
    expect(trackAt(h, T0 + 20 * MIN, 'page_view')).toEqual([ch('long', true, T0 + 20 * MIN)]);
    expect(tickAt(h, T0 + 10 * HOUR)).toEqual([]);
    expect(h.engine.has('long')).toBe(true);
  });

  it('the latest session stays the latest after it ends, until a new event starts another', () => {
    const h = harness(ruleSet({ busy: { session: 'events', gte: 3 } }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + MIN, 'x');
    expect(trackAt(h, T0 + 2 * MIN, 'x')).toEqual([ch('busy', true, T0 + 2 * MIN)]);
    expect(tickAt(h, T0 + 10 * DAY)).toEqual([]);
    expect(h.engine.has('busy')).toBe(true);
    expect(trackAt(h, T0 + 11 * DAY, 'x')).toEqual([ch('busy', false, T0 + 11 * DAY)]);
  });

  it('number is the 1-based ordinal among retained sessions', () => {
    const h = harness(ruleSet({ third: { session: 'number', eq: 3 } }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + HOUR, 'x');
    expect(trackAt(h, T0 + 2 * HOUR, 'x')).toEqual([ch('third', true, T0 + 2 * HOUR)]);
    expect(trackAt(h, T0 + 2 * HOUR + MIN, 'x')).toEqual([]);
  });

  it('metrics change when events leave the retained log (by count)', () => {
    const h = harness(ruleSet({ ev3: { session: 'events', eq: 3 }, first: { session: 'number', eq: 1 } }, { retain: { events: 3 } }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + HOUR, 'x');
    trackAt(h, T0 + HOUR + MIN, 'x');
    expect(h.engine.members()).toEqual([]);
    // the 4th event pushes T0 out: the only retained sessions are now one, with 3 events
    expect(trackAt(h, T0 + HOUR + 2 * MIN, 'x')).toEqual([ch('ev3', true, T0 + HOUR + 2 * MIN), ch('first', true, T0 + HOUR + 2 * MIN)]);
  });

  it('metrics change when events leave the retained log (by age), at exactly t + for', () => {
    const h = harness(ruleSet({ first: { session: 'number', eq: 1 } }, { retain: { for: '1d' } }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + HOUR, 'x')).toEqual([ch('first', false, T0 + HOUR)]);
    expect(tickAt(h, T0 + DAY - 1)).toEqual([]);
    expect(h.engine.nextChange()).toBe(T0 + DAY);
    expect(tickAt(h, T0 + DAY)).toEqual([ch('first', true, T0 + DAY)]);
  });

  it('within "session" on aggregates and duration operands as durations', () => {
    const h = harness(ruleSet({
      engaged: { all: [{ count: 'page_view', where: { path: { prefix: '/product/' } }, within: 'session', gt: 1 }, { session: 'duration', gte: '5m' }] },
    }));
    trackAt(h, T0, 'page_view', { path: '/product/1' });
    trackAt(h, T0 + 2 * MIN, 'page_view', { path: '/product/2' });
    expect(trackAt(h, T0 + 5 * MIN, 'page_view', { path: '/' })).toEqual([ch('engaged', true, T0 + 5 * MIN)]);
    expect(trackAt(h, T0 + 35 * MIN, 'page_view', { path: '/product/3' })).toEqual([ch('engaged', false, T0 + 35 * MIN)]);
  });

  it('an out-of-order event is placed by t and can merge sessions', () => {
    const h = harness(ruleSet({ one: { session: 'number', eq: 1 } }, { session: { timeout: '30m' } }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 40 * MIN, 'x')).toEqual([ch('one', false, T0 + 40 * MIN)]);
    h.clock.set(T0 + 41 * MIN);
    // an event at T0+20m bridges the gap: both gaps are now 20m, so there is a single session
    expect(h.engine.track('x', {}, { t: T0 + 20 * MIN })).toEqual([ch('one', true, T0 + 41 * MIN)]);
  });
});
