import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, one, tickAt, trackAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('count', () => {
  it('counts matching events and enters on the event that reaches the threshold', () => {
    const h = harness(one({ count: 'page_view', where: { path: { prefix: '/product/' } }, gte: 2 }));
    expect(trackAt(h, T0, 'page_view', { path: '/product/1' })).toEqual([]);
    expect(trackAt(h, T0 + 1, 'page_view', { path: '/cart' })).toEqual([]);
    expect(trackAt(h, T0 + 2, 'click', { path: '/product/1' })).toEqual([]);
    expect(trackAt(h, T0 + 3, 'page_view', { path: '/product/2' })).toEqual([ch('s', true, T0 + 3)]);
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.members()).toEqual(['s']);
  });

  it('"*" counts events of every type', () => {
    const h = harness(one({ count: '*', gte: 3 }));
    trackAt(h, T0, 'page_view');
    trackAt(h, T0 + 1, 'click');
    expect(trackAt(h, T0 + 2, 'my_custom:event')).toEqual([ch('s', true, T0 + 2)]);
  });

  it('count of nothing is 0', () => {
    const h = harness(one({ count: 'purchase', eq: 0 }));
    expect(h.engine.has('s')).toBe(true);
    expect(trackAt(h, T0, 'purchase')).toEqual([ch('s', false, T0)]);
  });

  it('without within, the whole retained log counts: nothing expires before retention', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    trackAt(h, T0, 'x');
    expect(tickAt(h, T0 + 89 * 24 * HOUR)).toEqual([]);
    expect(h.engine.has('s')).toBe(true);
  });

  it('within: the event leaves the window at exactly t + W', () => {
    const h = harness(one({ count: 'x', within: '10m', gte: 1 }));
    expect(trackAt(h, T0, 'x')).toEqual([ch('s', true, T0)]);
    expectFlipAt(h, 's', T0 + 10 * MIN, false);
  });

  it('within a window, the count drops one event at a time', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 2 }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 20 * MIN, 'x')).toEqual([ch('s', true, T0 + 20 * MIN)]);
    expect(trackAt(h, T0 + 40 * MIN, 'x')).toEqual([]);
    expect(h.engine.has('s')).toBe(true);
    // T0 leaves at T0+1h (2 left), T0+20m leaves at T0+1h20m (1 left): exit then.
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
    expectFlipAt(h, 's', T0 + HOUR + 20 * MIN, false);
  });

  it('within "session" counts only the latest session', () => {
    const h = harness(one({ count: 'page_view', within: 'session', gte: 2 }, {}, { session: { timeout: '30m' } }));
    trackAt(h, T0, 'page_view');
    expect(trackAt(h, T0 + 10 * MIN, 'page_view')).toEqual([ch('s', true, T0 + 10 * MIN)]);
    // 30 minutes after the previous event: a new session starts and holds one page view.
    expect(trackAt(h, T0 + 40 * MIN, 'page_view')).toEqual([ch('s', false, T0 + 40 * MIN)]);
    expect(trackAt(h, T0 + 41 * MIN, 'page_view')).toEqual([ch('s', true, T0 + 41 * MIN)]);
  });

  it('test operators combine: all must hold', () => {
    const h = harness(one({ count: 'x', gte: 2, lt: 4 }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 1, 'x')).toEqual([ch('s', true, T0 + 1)]);
    expect(trackAt(h, T0 + 2, 'x')).toEqual([]);
    expect(trackAt(h, T0 + 3, 'x')).toEqual([ch('s', false, T0 + 3)]);
  });

  it('where with several props requires all of them', () => {
    const h = harness(one({ count: 'view_item', where: { item_category: 'shoes', price: { gte: 50 } }, gte: 1 }));
    trackAt(h, T0, 'view_item', { item_category: 'shoes', price: 20 });
    trackAt(h, T0 + 1, 'view_item', { item_category: 'hats', price: 80 });
    expect(h.engine.has('s')).toBe(false);
    expect(trackAt(h, T0 + 2, 'view_item', { item_category: 'shoes', price: 50 })).toEqual([ch('s', true, T0 + 2)]);
  });

  it('where with three or more props requires every one, whichever fails', () => {
    const h = harness(one({ count: 'view_item', where: { item_category: 'shoes', price: { gte: 50 }, brand: 'acme', color: { in: ['red', 'blue'] } }, gte: 1 }));
    const ok = { item_category: 'shoes', price: 60, brand: 'acme', color: 'red' };
    for (const [i, bad] of [{ item_category: 'hats' }, { price: 10 }, { brand: 'other' }, { color: 'green' }].entries()) {
      trackAt(h, T0 + i, 'view_item', { ...ok, ...bad });
    }
    expect(h.engine.has('s')).toBe(false);
    expect(trackAt(h, T0 + 10, 'view_item', ok)).toEqual([ch('s', true, T0 + 10)]);
  });
});
