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

describe('segment references are evaluated glitch-free', () => {
  it('a segment reading a reference that changes in the same instant sees its new value (no transient change)', () => {
    const h = harness(ruleSet({
      y: { count: 'a', gte: 1 },
      x: { segment: 'y' },
      s: { all: [{ count: 'a', gte: 1 }, { not: { segment: 'x' } }] },
    }));
    expect(trackAt(h, T0, 'a')).toEqual([ch('y', true, T0), ch('x', true, T0)]);
    expect(h.engine.members()).toEqual(['y', 'x']);
    expect(h.log).toEqual([ch('y', true, T0), ch('x', true, T0)]);
  });

  it('a transient stale read must not start a hold', () => {
    const h = harness(ruleSet({
      y: { count: 'a', gte: 1 },
      x: { segment: 'y' },
      s: { when: { all: [{ count: 'a', gte: 1 }, { not: { segment: 'x' } }] }, hold: '1h' },
    }));
    expect(trackAt(h, T0, 'a')).toEqual([ch('y', true, T0), ch('x', true, T0)]);
    expect(h.engine.has('s')).toBe(false);
    expect(tickAt(h, T0 + 2 * HOUR)).toEqual([]);
  });

  it('a chain of references settles before anything is reported', () => {
    const h = harness(ruleSet({
      s: { any: [{ count: 'a', gte: 1 }, { segment: 'c' }] },
      c: { not: { segment: 'b' } },
      b: { segment: 'a1' },
      a1: { count: 'a', gte: 1 },
    }));
    // before: a1 false, b false, c true, s true
    expect(h.engine.members()).toEqual(['s', 'c']);
    expect(trackAt(h, T0, 'a')).toEqual([ch('c', false, T0), ch('b', true, T0), ch('a1', true, T0)]);
    expect(h.engine.members()).toEqual(['s', 'b', 'a1']);
  });
});
