import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('since', () => {
  it('since of nothing is Infinity', () => {
    const h = harness(ruleSet({ long: { since: 'purchase', gte: '3650d' }, recent: { since: 'purchase', lt: '1h' } }));
    expect(h.engine.members()).toEqual(['long']);
    expect(h.engine.nextChange()).toBeNull();
  });

  it('crosses gte D at exactly t + D, with durations as operands', () => {
    const h = harness(ruleSet({ quiet: { since: '*', gte: '2h' } }));
    expect(trackAt(h, T0, 'page_view')).toEqual([ch('quiet', false, T0)]);
    expectFlipAt(h, 'quiet', T0 + 2 * HOUR, true);
    expect(trackAt(h, T0 + 3 * HOUR, 'click')).toEqual([ch('quiet', false, T0 + 3 * HOUR)]);
    expectFlipAt(h, 'quiet', T0 + 5 * HOUR, true);
  });

  it('gt D crosses one millisecond later than gte D', () => {
    const h = harness(ruleSet({ quiet: { since: 'x', gt: '10m' } }));
    trackAt(h, T0, 'x');
    expectFlipAt(h, 'quiet', T0 + 10 * MIN + 1, true);
  });

  it('lt D (integer milliseconds) stops holding at exactly t + D', () => {
    const h = harness(ruleSet({ fresh: { since: 'x', where: { ok: true }, lt: 1000 } }));
    expect(trackAt(h, T0, 'x', { ok: false })).toEqual([]);
    expect(trackAt(h, T0 + 5, 'x', { ok: true })).toEqual([ch('fresh', true, T0 + 5)]);
    expectFlipAt(h, 'fresh', T0 + 1005, false);
  });

  it('an out-of-order event older than the latest changes nothing; a late but newer one restarts', () => {
    const h = harness(ruleSet({ quiet: { since: 'x', gte: '1h' } }));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 30 * MIN);
    expect(h.engine.track('x', {}, { t: T0 - 10 * MIN })).toEqual([]);
    expect(h.engine.track('x', {}, { t: T0 + 20 * MIN })).toEqual([]);
    // the most recent is now T0+20m
    expect(h.engine.tick()).toEqual([]);
    expectFlipAt(h, 'quiet', T0 + 20 * MIN + HOUR, true);
  });

  it('a future-dated event is recorded at now()', () => {
    const h = harness(ruleSet({ quiet: { since: 'x', gte: '1h' } }));
    h.clock.set(T0);
    expect(h.engine.track('x', {}, { t: T0 + 5 * HOUR })).toEqual([ch('quiet', false, T0)]);
    expect(h.engine.events().map((e) => e.t)).toEqual([T0]);
    expectFlipAt(h, 'quiet', T0 + HOUR, true);
  });
});
