import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('sum, min, max, avg', () => {
  it('sum uses every finite number, array elements one by one, and ignores the rest', () => {
    const h = harness(ruleSet({
      lo: { sum: 'purchase', of: 'value', eq: 60 },
      hi: { sum: 'purchase', of: 'value', gt: 60 },
    }));
    trackAt(h, T0, 'purchase', { value: 10 });
    trackAt(h, T0 + 1, 'purchase', { value: '500' });
    trackAt(h, T0 + 2, 'purchase', { value: [20, '7', null, true] });
    trackAt(h, T0 + 3, 'purchase', {});
    trackAt(h, T0 + 4, 'add_to_cart', { value: 1000 });
    expect(trackAt(h, T0 + 5, 'purchase', { value: 30 })).toEqual([ch('lo', true, T0 + 5)]);
    expect(trackAt(h, T0 + 6, 'purchase', { value: 0.5 })).toEqual([ch('lo', false, T0 + 6), ch('hi', true, T0 + 6)]);
  });

  it('sum of nothing is 0; min, max, avg of nothing are null', () => {
    const h = harness(ruleSet({
      sum0: { sum: 'purchase', of: 'value', eq: 0 },
      'min-null': { min: 'purchase', of: 'value', eq: null },
      'max-ne': { max: 'purchase', of: 'value', ne: 5 },
      'avg-missing': { avg: 'purchase', of: 'value', exists: false },
      'min-lt': { min: 'purchase', of: 'value', lt: 1e9 },
      'max-gte': { max: 'purchase', of: 'value', gte: -1e9 },
      'avg-ne0': { avg: 'purchase', of: 'value', eq: 0 },
    }));
    expect(h.engine.members()).toEqual(['sum0', 'min-null', 'max-ne', 'avg-missing']);
  });

  it('values with no finite number leave min/max/avg null', () => {
    const h = harness(ruleSet({
      'min-null': { min: 'purchase', of: 'value', eq: null },
      'avg-exists': { avg: 'purchase', of: 'value', exists: true },
    }));
    trackAt(h, T0, 'purchase', { value: 'ten' });
    trackAt(h, T0 + 1, 'purchase', { value: [] });
    expect(h.engine.members()).toEqual(['min-null']);
    expect(trackAt(h, T0 + 2, 'purchase', { value: 3 })).toEqual([ch('min-null', false, T0 + 2), ch('avg-exists', true, T0 + 2)]);
  });

  it('min, max and avg over numeric values including array elements', () => {
    const h = harness(ruleSet({
      min: { min: 'x', of: 'v', eq: -2 },
      max: { max: 'x', of: 'v', eq: 40 },
      avg: { avg: 'x', of: 'v', eq: 12 },
    }));
    trackAt(h, T0, 'x', { v: 10 });
    trackAt(h, T0 + 1, 'x', { v: [40, -2, 'z'] });
    trackAt(h, T0 + 2, 'x', { v: 'skip' });
    // values 10, 40, -2 => min -2, max 40, avg 16; add 0 => avg 12
    expect(h.engine.members()).toEqual(['min', 'max']);
    expect(trackAt(h, T0 + 3, 'x', { v: 0 })).toEqual([ch('avg', true, T0 + 3)]);
  });

  it('min rises and max falls as extremes leave the window, at exactly t + W', () => {
    const h = harness(ruleSet({
      cheap: { min: 'view_item', of: 'price', within: '1h', lt: 10 },
      pricey: { max: 'view_item', of: 'price', within: '1h', gt: 100 },
    }));
    trackAt(h, T0, 'view_item', { price: 5 });
    trackAt(h, T0 + 10 * MIN, 'view_item', { price: 500 });
    trackAt(h, T0 + 20 * MIN, 'view_item', { price: 50 });
    expect(h.engine.members()).toEqual(['cheap', 'pricey']);
    expectFlipAt(h, 'cheap', T0 + HOUR, false);
    expectFlipAt(h, 'pricey', T0 + HOUR + 10 * MIN, false);
  });

  it('avg changes as values leave the window', () => {
    const h = harness(ruleSet({ big: { avg: 'purchase', of: 'value', within: '2h', gte: 100 } }));
    trackAt(h, T0, 'purchase', { value: 20 });
    expect(trackAt(h, T0 + HOUR, 'purchase', { value: 200 })).toEqual([ch('big', true, T0 + HOUR)]);
    // avg 110 until the 20 leaves at T0+2h (avg 200), then everything leaves at T0+3h (avg null)
    expect(h.engine.tick()).toEqual([]);
    expectFlipAt(h, 'big', T0 + 3 * HOUR, false);
  });

  it('sum in a window, with where', () => {
    const h = harness(ruleSet({ spender: { sum: 'purchase', of: 'value', where: { currency: 'EUR' }, within: '1d', gte: 100 } }));
    trackAt(h, T0, 'purchase', { value: 60, currency: 'EUR' });
    trackAt(h, T0 + 1, 'purchase', { value: 60, currency: 'USD' });
    expect(trackAt(h, T0 + 2, 'purchase', { value: 40, currency: 'EUR' })).toEqual([ch('spender', true, T0 + 2)]);
    expectFlipAt(h, 'spender', T0 + 24 * HOUR, false);
  });
});

describe('sum over a sliding window equals the from-scratch sum of what is inside', () => {
  it('a huge value leaving the window does not swallow the small ones', () => {
    const h = harness(ruleSet({ one: { sum: 'x', of: 'v', within: '1h', eq: 1 }, avg: { avg: 'x', of: 'v', within: '1h', eq: 1 } }));
    trackAt(h, T0, 'x', { v: 1e17 });
    trackAt(h, T0 + MIN, 'x', { v: 1 });
    expect(h.engine.members()).toEqual([]);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('one', true, T0 + HOUR), ch('avg', true, T0 + HOUR)]);
  });

  it('a sum beyond the largest double is Infinity (not NaN), and recovers when values leave', () => {
    const h = harness(ruleSet({ huge: { sum: 'x', of: 'v', within: '1h', gt: 1e300 }, inf: { sum: 'x', of: 'v', within: '1h', eq: 1e308 } }));
    trackAt(h, T0, 'x', { v: 1e308 });
    expect(trackAt(h, T0 + MIN, 'x', { v: 1e308 })).toEqual([ch('inf', false, T0 + MIN)]);
    expect(h.engine.members()).toEqual(['huge']);
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('inf', true, T0 + HOUR)]);
    expect(h.engine.members()).toEqual(['huge', 'inf']);
    expect(tickAt(h, T0 + HOUR + MIN)).toEqual([ch('huge', false, T0 + HOUR + MIN), ch('inf', false, T0 + HOUR + MIN)]);
  });
});
