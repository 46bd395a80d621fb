import { describe, expect, it } from 'vitest';
import { ch, harness, one, ruleSet, tickAt, trackAt } from './helpers/setup.js';
import { HOUR, MIN, T0 } from './helpers/fakeClock.js';

describe('change ordering', () => {
  it('within an instant: exits first, then enters, each in declaration order (not alphabetical)', () => {
    const h = harness(ruleSet({
      'z-enter': { count: 'x', gte: 1 },
      'y-exit': { count: 'x', eq: 0 },
      'a-enter': { count: 'x', gte: 1 },
      'b-exit': { count: 'x', lt: 1 },
    }));
    expect(h.engine.members()).toEqual(['y-exit', 'b-exit']);
    expect(trackAt(h, T0, 'x')).toEqual([ch('y-exit', false, T0), ch('b-exit', false, T0), ch('z-enter', true, T0), ch('a-enter', true, T0)]);
  });

  it('a time-driven exit and enter at the same instant: exit first even when the enter is declared first', () => {
    const h = harness(ruleSet({ quiet: { all: [{ count: 'x', gte: 1 }, { since: 'x', gte: '1h' }] }, active: { count: 'x', within: '1h', gte: 1 } }));
    trackAt(h, T0, 'x');
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('active', false, T0 + HOUR), ch('quiet', true, T0 + HOUR)]);
  });

  it('catch-up: time-driven changes carry their due instants, in time order, then the call effect at now()', () => {
    const h = harness(ruleSet({
      late: { count: 'x', within: '2h', gte: 1 },
      early: { count: 'x', within: '1h', gte: 1 },
      y: { count: 'y', gte: 1 },
    }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 5 * HOUR, 'y')).toEqual([ch('early', false, T0 + HOUR), ch('late', false, T0 + 2 * HOUR), ch('y', true, T0 + 5 * HOUR)]);
  });

  it('a window expiring exactly when a new event arrives gives an exit, then an enter, at the same t', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + HOUR, 'x')).toEqual([ch('s', false, T0 + HOUR), ch('s', true, T0 + HOUR)]);
    expect(h.engine.members()).toEqual(['s']);
    expect(h.log).toEqual([ch('s', true, T0), ch('s', false, T0 + HOUR), ch('s', true, T0 + HOUR)]);
  });

  it('catch-up runs before identify, setContext and setRules too', () => {
    const h = harness(ruleSet({ a: { count: 'x', within: '1h', gte: 1 }, pro: { trait: 'plan', eq: 'pro' }, m: { context: 'device', eq: 'mobile' } }));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.identify('u', { plan: 'pro' })).toEqual([ch('a', false, T0 + HOUR), ch('pro', true, T0 + 2 * HOUR)]);
    trackAt(h, T0 + 3 * HOUR, 'x');
    h.clock.set(T0 + 5 * HOUR);
    expect(h.engine.setContext({ device: 'mobile' })).toEqual([ch('a', false, T0 + 4 * HOUR), ch('m', true, T0 + 5 * HOUR)]);
  });

  it('a hold exit is delivered at its due instant by a later call', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 2 }, { hold: '10m' }));
    trackAt(h, T0, 'x');
    trackAt(h, T0 + 30 * MIN, 'x');
    trackAt(h, T0 + 2 * HOUR, 'x');
    trackAt(h, T0 + 2 * HOUR + 30 * MIN, 'x');
    expect(h.log).toEqual([ch('s', true, T0 + 30 * MIN), ch('s', false, T0 + HOUR + 10 * MIN), ch('s', true, T0 + 2 * HOUR + 30 * MIN)]);
  });
});

describe('nextChange() and tick()', () => {
  it('is null when nothing can change without a call', () => {
    const h = harness(ruleSet({ a: { count: 'x', within: '1h', gte: 1 }, t: { trait: 'plan', eq: 'pro' } }));
    expect(h.engine.nextChange()).toBeNull();
  });

  it('tick at nextChange() - 1 changes nothing; tick at nextChange() performs it', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    trackAt(h, T0, 'x');
    let next = h.engine.nextChange();
    expect(next).not.toBeNull();
    // wake-ups that find nothing are allowed, so follow nextChange() until the exit happens
    let guard = 0;
    while (h.engine.has('s') && guard++ < 100) {
      expect(next!).toBeGreaterThan(h.clock.now());
      expect(next!).toBeLessThanOrEqual(T0 + HOUR);
      if (next === T0 + HOUR) {
        expect(tickAt(h, next - 1)).toEqual([]);
        expect(h.engine.nextChange()).toBe(T0 + HOUR);
      }
      const changes = tickAt(h, next!);
      if (h.engine.has('s')) expect(changes).toEqual([]);
      else expect(changes).toEqual([ch('s', false, T0 + HOUR)]);
      next = h.engine.nextChange();
    }
    expect(h.engine.has('s')).toBe(false);
    expect(h.clock.now()).toBe(T0 + HOUR);
  });

  it('is always later than the last processed instant', () => {
    const h = harness(ruleSet({ a: { count: 'x', within: '1h', gte: 1 }, h: { context: 'hour', eq: 15 } }));
    for (const at of [T0, T0 + 1, T0 + 30 * MIN, T0 + HOUR - 1, T0 + HOUR, T0 + 3 * HOUR]) {
      tickAt(h, at);
      const n = h.engine.nextChange();
      expect(n).not.toBeNull();
      expect(n!).toBeGreaterThan(at);
    }
  });

  it('has(), members(), explain() and events() do not advance time', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }, {}, { retain: { for: '2h' } }));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 3 * HOUR);
    expect(h.engine.has('s')).toBe(true);
    expect(h.engine.members()).toEqual(['s']);
    expect(h.engine.explain('s').member).toBe(true);
    expect(h.engine.events()).toHaveLength(1);
    expect(h.log).toEqual([ch('s', true, T0)]);
    expect(h.engine.tick()).toEqual([ch('s', false, T0 + HOUR)]);
    expect(h.engine.events()).toHaveLength(0);
  });

  it('a due change is performed by any call, not only tick', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + HOUR, 'other')).toEqual([ch('s', false, T0 + HOUR)]);
    expect(h.engine.tick()).toEqual([]);
  });
});
