import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('last', () => {
  it('compares the prop of the most recent matching event', () => {
    const h = harness(ruleSet({ promoter: { last: 'survey_response', of: 'answer', where: { survey: 'nps' }, gte: 9 } }));
    trackAt(h, T0, 'survey_response', { survey: 'nps', answer: 10 });
    expect(h.engine.has('promoter')).toBe(true);
    trackAt(h, T0 + 1, 'survey_response', { survey: 'csat', answer: 1 });
    expect(h.engine.has('promoter')).toBe(true);
    expect(trackAt(h, T0 + 2, 'survey_response', { survey: 'nps', answer: 3 })).toEqual([ch('promoter', false, T0 + 2)]);
  });

  it('is null when the most recent matching event lacks the prop (no fallback to older events)', () => {
    const h = harness(ruleSet({ 'is-null': { last: 'x', of: 'p', eq: null }, 'is-a': { last: 'x', of: 'p', eq: 'a' } }));
    expect(h.engine.members()).toEqual(['is-null']);
    expect(trackAt(h, T0, 'x', { p: 'a' })).toEqual([ch('is-null', false, T0), ch('is-a', true, T0)]);
    expect(trackAt(h, T0 + 1, 'x', { q: 1 })).toEqual([ch('is-a', false, T0 + 1), ch('is-null', true, T0 + 1)]);
  });

  it('with equal t, the later arrival is the more recent one', () => {
    const h = harness(ruleSet({ 'is-b': { last: 'x', of: 'p', eq: 'b' } }));
    h.clock.set(T0 + 10);
    h.engine.track('x', { p: 'a' }, { t: T0 + 5 });
    expect(h.engine.track('x', { p: 'b' }, { t: T0 + 5 })).toEqual([ch('is-b', true, T0 + 10)]);
    expect(h.engine.track('x', { p: 'c' }, { t: T0 + 4 })).toEqual([]);
    expect(h.engine.has('is-b')).toBe(true);
  });

  it('an out-of-order event older than the latest does not become last', () => {
    const h = harness(ruleSet({ 'is-new': { last: 'x', of: 'p', eq: 'new' } }));
    trackAt(h, T0, 'x', { p: 'new' });
    h.clock.set(T0 + MIN);
    expect(h.engine.track('x', { p: 'old' }, { t: T0 - MIN })).toEqual([]);
    expect(h.engine.has('is-new')).toBe(true);
  });

  it('within a window, last becomes null when the latest matching event leaves it', () => {
    const h = harness(ruleSet({ 'is-a': { last: 'x', of: 'p', within: '1h', eq: 'a' } }));
    trackAt(h, T0, 'x', { p: 'b' });
    expect(trackAt(h, T0 + MIN, 'x', { p: 'a' })).toEqual([ch('is-a', true, T0 + MIN)]);
    expectFlipAt(h, 'is-a', T0 + MIN + HOUR, false);
  });

  it('array values: any element satisfies the test', () => {
    const h = harness(ruleSet({ tagged: { last: 'x', of: 'tags', eq: 'sale' } }));
    expect(trackAt(h, T0, 'x', { tags: ['new', 'sale'] })).toEqual([ch('tagged', true, T0)]);
  });
});
