import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { MIN, T0 } from '../helpers/fakeClock.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('score', () => {
  it('linear: bias + sum(weight * value)', () => {
    const h = harness(ruleSet({
      five: { score: { bias: 1, link: 'linear', terms: [{ weight: 2, value: { count: 'x' } }] }, eq: 5 },
      seven: { score: { bias: 1, link: 'linear', terms: [{ weight: 2, value: { count: 'x' } }] }, gte: 7 },
      base: { score: { link: 'linear', terms: [{ weight: 2, value: { count: 'x' } }] }, eq: 0 },
    }));
    expect(h.engine.members()).toEqual(['base']);
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 1, 'x')).toEqual([ch('five', true, T0 + 1)]);
    expect(trackAt(h, T0 + 2, 'x')).toEqual([ch('five', false, T0 + 2), ch('seven', true, T0 + 2)]);
  });

  it('logistic is the default link: 1 / (1 + exp(-linear))', () => {
    const model = { bias: -1, terms: [{ weight: 0.5, value: { count: 'x' } }] };
    expect(sigmoid(-1 + 0.5 * 3)).toBeGreaterThan(0.62);
    expect(sigmoid(-1 + 0.5 * 3)).toBeLessThan(0.63);
    const h = harness(ruleSet({
      lo: { score: model, gte: 0.62 },
      hi: { score: model, gte: 0.63 },
      none: { score: model, gt: 0.268, lt: 0.27 },
      explicit: { score: { ...model, link: 'logistic' }, gte: 0.62 },
    }));
    // sigmoid(-1) = 0.2689...
    expect(h.engine.members()).toEqual(['none']);
    trackAt(h, T0, 'x');
    trackAt(h, T0 + 1, 'x');
    expect(trackAt(h, T0 + 2, 'x')).toEqual([ch('lo', true, T0 + 2), ch('explicit', true, T0 + 2)]);
    expect(h.engine.members()).toEqual(['lo', 'explicit']);
  });

  it('cap bounds a term from above: min(value, cap)', () => {
    const h = harness(ruleSet({ three: { score: { link: 'linear', terms: [{ weight: 1, value: { count: 'x' }, cap: 3 }] }, eq: 3 } }));
    for (let i = 0; i < 6; i++) trackAt(h, T0 + i, 'x');
    expect(h.engine.has('three')).toBe(true);
  });

  it('a since term uses its cap for Infinity and moves with the clock', () => {
    const model = { link: 'linear' as const, terms: [{ weight: -1, value: { since: 'purchase' }, cap: 1000 }] };
    const h = harness(ruleSet({ recent: { score: model, gt: -500 }, capped: { score: model, eq: -1000 } }));
    expect(h.engine.members()).toEqual(['capped']);
    expect(trackAt(h, T0, 'purchase')).toEqual([ch('capped', false, T0), ch('recent', true, T0)]);
    expectFlipAt(h, 'recent', T0 + 500, false);
    expectFlipAt(h, 'capped', T0 + 1000, true);
  });

  it('true is 1, false 0, null and non-numeric values 0', () => {
    const h = harness(ruleSet({
      one: {
        score: {
          link: 'linear',
          terms: [
            { weight: 1, value: { trait: 'flag' } },
            { weight: 10, value: { trait: 'off' } },
            { weight: 100, value: { trait: 'name' } },
            { weight: 1000, value: { trait: 'missing' } },
            { weight: 10000, value: { last: 'x', of: 'p' } },
            { weight: 100000, value: { avg: 'purchase', of: 'value' } },
            { weight: 1000000, value: { context: 'device' } },
          ],
        },
        eq: 1,
      },
    }), { traits: { flag: true, off: false, name: 'abc' }, context: { device: 'mobile' } });
    expect(h.engine.members()).toEqual(['one']);
    expect(trackAt(h, T0, 'x', { p: 7 })).toEqual([ch('one', false, T0)]);
    expect(trackAt(h, T0 + 1, 'x', { p: '7' })).toEqual([ch('one', true, T0 + 1)]);
  });

  it('numeric context, trait, session and aggregate values feed the model', () => {
    const h = harness(ruleSet({
      s: {
        score: {
          bias: 0.5,
          link: 'linear',
          terms: [
            { weight: 1, value: { trait: 'age' } },
            { weight: 2, value: { session: 'pageViews' } },
            { weight: 3, value: { sum: 'purchase', of: 'value', within: '30m' } },
          ],
        },
        eq: 30.5 + 2 + 30,
      },
    }), { traits: { age: 30 } });
    trackAt(h, T0, 'page_view');
    expect(trackAt(h, T0 + 1, 'purchase', { value: 10 })).toEqual([ch('s', true, T0 + 1)]);
    expectFlipAt(h, 's', T0 + 1 + 30 * MIN, false);
  });
});
