import { describe, expect, it } from 'vitest';
import { ch, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { T0 } from '../helpers/fakeClock.js';
import type { ClusterModel } from '../../src/index.js';

describe('cluster', () => {
  const model: ClusterModel = {
    features: [{ value: { count: 'view_item' } }, { value: { sum: 'purchase', of: 'value' } }],
    mean: [2, 100],
    scale: [1, 50],
    centroids: { low: [-1, -1], high: [1, 1] },
  };

  it('labels the nearest centroid after standardising: z = (x - mean) / scale', () => {
    const h = harness(ruleSet({ low: { cluster: model, eq: 'low' }, high: { cluster: model, eq: 'high' }, either: { cluster: model, in: ['low', 'high'] } }));
    // x = [0, 0] -> z = [-2, -2]: low
    expect(h.engine.members()).toEqual(['low', 'either']);
    trackAt(h, T0, 'view_item');
    trackAt(h, T0 + 1, 'view_item');
    trackAt(h, T0 + 2, 'view_item');
    // x = [3, 0] -> z = [1, -2]: d(low)^2 = 4 + 1 = 5, d(high)^2 = 0 + 9 = 9: still low
    expect(h.engine.members()).toEqual(['low', 'either']);
    // x = [3, 150] -> z = [1, 1]: high
    expect(trackAt(h, T0 + 3, 'purchase', { value: 150 })).toEqual([ch('low', false, T0 + 3), ch('high', true, T0 + 3)]);
  });

  it('ties go to the label declared first (not the alphabetically first)', () => {
    const tie: ClusterModel = { features: [{ value: { count: 'x' } }], mean: [1], scale: [1], centroids: { zeta: [1], alpha: [-1] } };
    const h = harness(ruleSet({ zeta: { cluster: tie, eq: 'zeta' }, alpha: { cluster: tie, eq: 'alpha' } }));
    // no event: z = -1, alpha
    expect(h.engine.members()).toEqual(['alpha']);
    // one event: z = 0, equidistant: zeta (declared first)
    expect(trackAt(h, T0, 'x')).toEqual([ch('alpha', false, T0), ch('zeta', true, T0)]);
  });

  it('feature cap and negative scale', () => {
    const m: ClusterModel = {
      features: [{ value: { count: 'x' }, cap: 2 }],
      mean: [1],
      scale: [-1],
      centroids: { many: [-1], few: [1] },
    };
    const h = harness(ruleSet({ many: { cluster: m, eq: 'many' } }));
    expect(h.engine.has('many')).toBe(false);
    for (let i = 0; i < 5; i++) trackAt(h, T0 + i, 'x');
    // x = min(5, 2) = 2 -> z = (2 - 1) / -1 = -1 -> many
    expect(h.engine.has('many')).toBe(true);
  });
});
