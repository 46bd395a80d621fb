import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, one, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import { DAY, HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('windows: now - W < t <= now', () => {
  it('an event at exactly now - W is outside, one ms later is inside', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }), { start: T0 + HOUR });
    h.clock.set(T0 + HOUR);
    expect(h.engine.track('x', {}, { t: T0 })).toEqual([]);
    expect(h.engine.track('x', {}, { t: T0 + 1 })).toEqual([ch('s', true, T0 + HOUR)]);
    expectFlipAt(h, 's', T0 + HOUR + 1, false);
  });

  it('an event at exactly now is inside', () => {
    const h = harness(one({ count: 'x', within: 1, gte: 1 }));
    expect(trackAt(h, T0, 'x')).toEqual([ch('s', true, T0)]);
    expectFlipAt(h, 's', T0 + 1, false);
  });

  it('a window of 0 never holds anything', () => {
    const h = harness(one({ count: 'x', within: 0, gte: 1 }));
    expect(trackAt(h, T0, 'x')).toEqual([]);
  });
});

describe('out of order and future-dated events', () => {
  it('a late event counts as if it had arrived in order, and leaves the window by its own t', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 2 }));
    trackAt(h, T0 + 10 * MIN, 'x');
    h.clock.set(T0 + 20 * MIN);
    expect(h.engine.track('x', {}, { t: T0 + 5 * MIN })).toEqual([ch('s', true, T0 + 20 * MIN)]);
    expect(h.engine.events().map((e) => e.t)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
    expectFlipAt(h, 's', T0 + HOUR + 5 * MIN, false);
  });

  it('a future-dated event is recorded at now() and its window starts there', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    h.clock.set(T0);
    expect(h.engine.track('x', { a: 1 }, { t: T0 + DAY })).toEqual([ch('s', true, T0)]);
    expect(h.engine.events()).toEqual([{ type: 'x', t: T0, props: { a: 1 } }]);
    expectFlipAt(h, 's', T0 + HOUR, false);
  });

  it('events() is oldest first, equal t in arrival order', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    h.clock.set(T0 + 100);
    h.engine.track('x', { n: 1 }, { t: T0 + 50 });
    h.engine.track('x', { n: 2 }, { t: T0 + 10 });
    h.engine.track('x', { n: 3 }, { t: T0 + 50 });
    h.engine.track('x', { n: 4 });
    expect(h.engine.events().map((e) => e.props?.['n'])).toEqual([2, 1, 3, 4]);
    expect(h.engine.events().map((e) => e.t)).toEqual([T0 + 10, T0 + 50, T0 + 50, T0 + 100]);
  });
});

describe('retention', () => {
  it('by count: only the newest retain.events are kept; ties keep the later arrivals', () => {
    const h = harness(ruleSet({ three: { count: 'x', gte: 3 }, 'has-first': { count: 'x', where: { n: 1 }, gte: 1 } }, { retain: { events: 2 } }));
    h.clock.set(T0);
    h.engine.track('x', { n: 1 });
    h.engine.track('x', { n: 2 });
    expect(h.engine.members()).toEqual(['has-first']);
    expect(h.engine.track('x', { n: 3 })).toEqual([ch('has-first', false, T0)]);
    expect(h.engine.events().map((e) => e.props?.['n'])).toEqual([2, 3]);
    expect(h.engine.has('three')).toBe(false);
  });

  it('by count: a late event older than everything retained is dropped at once', () => {
    const h = harness(ruleSet({ old: { count: 'x', where: { n: 0 }, gte: 1 } }, { retain: { events: 2 } }));
    trackAt(h, T0, 'x', { n: 1 });
    trackAt(h, T0 + 1, 'x', { n: 2 });
    h.clock.set(T0 + 2);
    expect(h.engine.track('x', { n: 0 }, { t: T0 - 1 })).toEqual([]);
    expect(h.engine.events().map((e) => e.props?.['n'])).toEqual([1, 2]);
  });

  it('by age: an event is dropped when now - t >= retain.for, which is a time-driven change', () => {
    const h = harness(one({ count: 'x', gte: 1 }, {}, { retain: { for: '2h' } }));
    expect(trackAt(h, T0, 'x')).toEqual([ch('s', true, T0)]);
    expectFlipAt(h, 's', T0 + 2 * HOUR, false);
    expect(h.engine.events()).toEqual([]);
  });

  it('by age: a late event already past retain.for is not retained', () => {
    const h = harness(one({ count: 'x', gte: 1 }, {}, { retain: { for: '1h' } }));
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.track('x', {}, { t: T0 + HOUR })).toEqual([]);
    expect(h.engine.events()).toEqual([]);
  });
});

describe('hold', () => {
  it('exits at exactly x + hold after the condition turns false at x', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '30m' }));
    expect(trackAt(h, T0, 'x')).toEqual([ch('s', true, T0)]);
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.explain('s')).toMatchObject({ member: true, holds: false, holdUntil: T0 + HOUR + 30 * MIN });
    expectFlipAt(h, 's', T0 + HOUR + 30 * MIN, false);
  });

  it('a condition true again before x + hold cancels the exit; the next hold starts from the next x', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: '30m' }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + HOUR + 10 * MIN, 'x')).toEqual([]);
    expect(tickAt(h, T0 + HOUR + 30 * MIN)).toEqual([]);
    expectFlipAt(h, 's', T0 + 2 * HOUR + 40 * MIN, false);
  });

  it('an event-driven drop is held too, and a catch-up tick reports the due instant', () => {
    const h = harness(one({ last: 'survey_response', of: 'answer', gte: 9 }, { hold: '1h' }));
    trackAt(h, T0, 'survey_response', { answer: 10 });
    expect(trackAt(h, T0 + MIN, 'survey_response', { answer: 2 })).toEqual([]);
    expect(h.engine.has('s')).toBe(true);
    expect(tickAt(h, T0 + 5 * HOUR)).toEqual([ch('s', false, T0 + MIN + HOUR)]);
  });

  it('hold 0 behaves like no hold', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, { hold: 0 }));
    trackAt(h, T0, 'x');
    expectFlipAt(h, 's', T0 + HOUR, false);
  });
});
