import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import type { ClusterModel } from '../../src/index.js';
import { DAY, HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('time-driven crossings inside score and cluster', () => {
  it('a logistic score with a since term crosses its threshold at the exact millisecond', () => {
    // linear = 2000 - since; sigmoid >= 0.5 iff since <= 2000; >= 0.8 iff since <= 2000 - ln 4, i.e. since <= 1998
    const model = { bias: 2000, terms: [{ weight: -1, value: { since: 'purchase' }, cap: 1e6 }] };
    const h = harness(ruleSet({ half: { score: model, gte: 0.5 }, likely: { score: model, gte: 0.8 } }));
    expect(trackAt(h, T0, 'purchase')).toEqual([ch('half', true, T0), ch('likely', true, T0)]);
    expectFlipAt(h, 'likely', T0 + 1999, false);
    expectFlipAt(h, 'half', T0 + 2001, false);
  });

  it('a score fed by context hour changes at the hour', () => {
    const h = harness(ruleSet({ s: { score: { link: 'linear', terms: [{ weight: 1, value: { context: 'hour' } }] }, eq: 14 } }));
    expectFlipAt(h, 's', T0 + 2 * HOUR, true);
    expectFlipAt(h, 's', T0 + 3 * HOUR, false);
  });

  it('a score fed by a windowed count drops as events expire', () => {
    const h = harness(ruleSet({ s: { score: { link: 'linear', terms: [{ weight: 1, value: { count: 'x', within: '1h' } }] }, gte: 2 } }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + MIN, 'x');
    expectFlipAt(h, 's', T0 + HOUR, false);
  });

  it('a cluster label driven by since switches at the exact millisecond, ties to the first label', () => {
    const m: ClusterModel = { features: [{ value: { since: 'x' }, cap: 10_000 }], mean: [0], scale: [1], centroids: { recent: [0], stale: [1000] } };
    const h = harness(ruleSet({ stale: { cluster: m, eq: 'stale' } }));
    expect(h.engine.has('stale')).toBe(true);
    expect(trackAt(h, T0, 'x')).toEqual([ch('stale', false, T0)]);
    // since = 500 is equidistant: the first declared label (recent) wins; 501 is stale
    expectFlipAt(h, 'stale', T0 + 501, true);
  });

  it('distinct drops when the last event carrying a value leaves, through a segment reference and a hold', () => {
    const h = harness(ruleSet({
      multi: { distinct: 'view_item', of: 'item_category', within: '1d', gte: 2 },
      sticky: { when: { segment: 'multi' }, hold: '1h' },
    }));
    trackAt(h, T0, 'view_item', { item_category: 'shoes' });
    expect(trackAt(h, T0 + HOUR, 'view_item', { item_category: 'hats' })).toEqual([ch('multi', true, T0 + HOUR), ch('sticky', true, T0 + HOUR)]);
    expectFlipAt(h, 'multi', T0 + DAY, false);
    expectFlipAt(h, 'sticky', T0 + DAY + HOUR, false);
  });

  it('a window longer than retain.for is cut at retention', () => {
    const h = harness(ruleSet({ s: { count: 'x', within: '120d', gte: 1 } }, { retain: { for: '90d' } }));
    trackAt(h, T0, 'x');
    expectFlipAt(h, 's', T0 + 90 * DAY, false);
  });

  it('an event evicted by retain.events makes since jump to Infinity at once', () => {
    const h = harness(ruleSet({ never: { since: 'purchase', gte: '3650d' } }, { retain: { events: 2 } }));
    expect(trackAt(h, T0, 'purchase')).toEqual([ch('never', false, T0)]);
    trackAt(h, T0 + 1, 'page_view');
    expect(trackAt(h, T0 + 2, 'page_view')).toEqual([ch('never', true, T0 + 2)]);
  });

  it('a late add_to_cart older than the current one does not restart abandoned', () => {
    const h = harness(ruleSet({ ab: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } }));
    trackAt(h, T0 + 10 * MIN, 'add_to_cart');
    h.clock.set(T0 + 20 * MIN);
    expect(h.engine.track('add_to_cart', {}, { t: T0 })).toEqual([]);
    expectFlipAt(h, 'ab', T0 + 40 * MIN, true);
  });

  it('tick when nothing is due returns [] and keeps nextChange', () => {
    const h = harness(ruleSet({ s: { count: 'x', within: '1h', gte: 1 } }));
    trackAt(h, T0, 'x');
    const n = h.engine.nextChange();
    expect(tickAt(h, T0 + 1)).toEqual([]);
    expect(h.engine.nextChange()).toBe(n);
  });
});
