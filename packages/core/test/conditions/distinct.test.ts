import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { HOUR, T0 } from '../helpers/fakeClock.js';

describe('distinct', () => {
  it('counts distinct non-null primitives, array elements one by one, without coercion', () => {
    const h = harness(ruleSet({ five: { distinct: 'view_item', of: 'item_id', eq: 5 }, six: { distinct: 'view_item', of: 'item_id', gte: 6 } }));
    trackAt(h, T0, 'view_item', { item_id: 'a' });
    trackAt(h, T0 + 1, 'view_item', { item_id: 'b' });
    trackAt(h, T0 + 2, 'view_item', { item_id: 'a' });
    trackAt(h, T0 + 3, 'view_item', { item_id: ['b', 'c', null] });
    trackAt(h, T0 + 4, 'view_item', { item_id: null });
    trackAt(h, T0 + 5, 'view_item', {});
    trackAt(h, T0 + 6, 'click', { item_id: 'zz' });
    trackAt(h, T0 + 7, 'view_item', { item_id: 1 });
    // a, b, c, 1 so far
    expect(h.engine.members()).toEqual([]);
    expect(trackAt(h, T0 + 8, 'view_item', { item_id: '1' })).toEqual([ch('five', true, T0 + 8)]);
    expect(trackAt(h, T0 + 9, 'view_item', { item_id: true })).toEqual([ch('five', false, T0 + 9), ch('six', true, T0 + 9)]);
  });

  it('distinct of nothing is 0', () => {
    const h = harness(ruleSet({ none: { distinct: 'x', of: 'p', eq: 0 } }));
    expect(h.engine.members()).toEqual(['none']);
  });

  it('a value stays counted while any event carrying it is in the window', () => {
    const h = harness(ruleSet({ two: { distinct: 'x', of: 'p', within: '1h', gte: 2 } }));
    trackAt(h, T0, 'x', { p: 'a' });
    trackAt(h, T0 + HOUR / 2, 'x', { p: 'a' });
    expect(trackAt(h, T0 + HOUR / 2 + 1, 'x', { p: 'b' })).toEqual([ch('two', true, T0 + HOUR / 2 + 1)]);
    // the first 'a' leaving at T0+1h changes nothing; the second leaves at T0+1h30m
    expectFlipAt(h, 'two', T0 + HOUR + HOUR / 2, false);
  });

  it('stays exact while thousands of unique values pass through a window (values that left are swept from memory)', () => {
    const h = harness(ruleSet({ varied: { distinct: 'x', of: 'p', within: '1h', gte: 3 } }));
    for (let i = 0; i < 2_000; i++) trackAt(h, T0 + i * 10 * 60_000, 'x', { p: `order-${i}` });
    // one event every 10 minutes, each value unique: six inside any hour
    expect(h.engine.explain('varied').condition.value).toBe(6);
    const last = T0 + 1_999 * 10 * 60_000;
    expect(h.engine.members()).toEqual(['varied']);
    expectFlipAt(h, 'varied', last - 20 * 60_000 + HOUR, false);
    expect(h.engine.explain('varied').condition.value).toBe(2);
  });
});
