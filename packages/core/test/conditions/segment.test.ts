import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

describe('segment', () => {
  it('follows another segment; changes of one instant come in declaration order', () => {
    const h = harness(ruleSet({ b: { segment: 'a' }, a: { count: 'x', gte: 1 }, 'not-a': { not: { segment: 'a' } } }));
    expect(h.engine.members()).toEqual(['not-a']);
    expect(trackAt(h, T0, 'x')).toEqual([ch('not-a', false, T0), ch('b', true, T0), ch('a', true, T0)]);
  });

  it("includes the referenced segment's hold, and a hold on top adds to it", () => {
    const h = harness(ruleSet({
      a: { when: { count: 'x', within: '1h', gte: 1 }, hold: '1h' },
      b: { when: { segment: 'a' }, hold: '30m' },
      c: { segment: 'a' },
    }));
    expect(trackAt(h, T0, 'x')).toEqual([ch('a', true, T0), ch('b', true, T0), ch('c', true, T0)]);
    // a's condition ends at T0+1h, a is held until T0+2h; c follows a; b holds 30m more
    expect(tickAt(h, T0 + 2 * HOUR - 1)).toEqual([]);
    expect(h.engine.nextChange()).toBe(T0 + 2 * HOUR);
    expect(tickAt(h, T0 + 2 * HOUR)).toEqual([ch('a', false, T0 + 2 * HOUR), ch('c', false, T0 + 2 * HOUR)]);
    expectFlipAt(h, 'b', T0 + 2 * HOUR + 30 * MIN, false);
  });

  it('a held dependency keeps the dependant in when the cause returns in time', () => {
    const h = harness(ruleSet({
      a: { when: { count: 'x', within: '1h', gte: 1 }, hold: '1h' },
      c: { all: [{ segment: 'a' }, { trait: 'plan', eq: 'pro' }] },
    }), { traits: { plan: 'pro' } });
    trackAt(h, T0, 'x');
    expect(trackAt(h, T0 + 90 * MIN, 'x')).toEqual([]);
    expect(h.engine.members()).toEqual(['a', 'c']);
    expectFlipAt(h, 'c', T0 + 90 * MIN + 2 * HOUR, false);
  });
});
