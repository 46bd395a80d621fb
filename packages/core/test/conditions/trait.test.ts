import { describe, expect, it } from 'vitest';
import { ch, harness, ruleSet } from '../helpers/setup.js';
import { T0 } from '../helpers/fakeClock.js';

describe('trait', () => {
  const rules = ruleSet({
    pro: { trait: 'plan', eq: 'pro' },
    vip: { trait: 'ltv', gte: 1000 },
    anon: { trait: 'plan', exists: false },
  });

  it('initial traits apply from the start; a missing trait is null', () => {
    const h = harness(rules, { userId: 'u1', traits: { plan: 'pro' } });
    expect(h.engine.members()).toEqual(['pro']);
    expect(h.engine.userId).toBe('u1');
    expect(harness(rules).engine.members()).toEqual(['anon']);
  });

  it('identify merges traits, a null removes one, and changes carry t = now()', () => {
    const h = harness(rules);
    h.clock.set(T0 + 1);
    expect(h.engine.identify('u1', { plan: 'pro' })).toEqual([ch('anon', false, T0 + 1), ch('pro', true, T0 + 1)]);
    h.clock.set(T0 + 2);
    expect(h.engine.identify('u1', { ltv: 1500 })).toEqual([ch('vip', true, T0 + 2)]);
    expect(h.engine.members()).toEqual(['pro', 'vip']);
    h.clock.set(T0 + 3);
    expect(h.engine.identify('u1', { plan: null })).toEqual([ch('pro', false, T0 + 3), ch('anon', true, T0 + 3)]);
    expect(h.engine.members()).toEqual(['vip', 'anon']);
  });

  it('identify without traits keeps the current ones', () => {
    const h = harness(rules, { traits: { plan: 'pro' } });
    h.clock.set(T0 + 1);
    expect(h.engine.identify('u2')).toEqual([]);
    expect(h.engine.userId).toBe('u2');
    expect(h.engine.members()).toEqual(['pro']);
  });

  it('identify(null) clears the user id and the traits, then applies the traits passed with it', () => {
    const h = harness(rules, { userId: 'u1', traits: { plan: 'pro', ltv: 2000 } });
    expect(h.engine.members()).toEqual(['pro', 'vip']);
    h.clock.set(T0 + 1);
    expect(h.engine.identify(null)).toEqual([ch('pro', false, T0 + 1), ch('vip', false, T0 + 1), ch('anon', true, T0 + 1)]);
    expect(h.engine.userId).toBeNull();
    h.clock.set(T0 + 2);
    expect(h.engine.identify(null, { ltv: 5000 })).toEqual([ch('vip', true, T0 + 2)]);
    expect(h.engine.members()).toEqual(['vip', 'anon']);
  });

  it('trait tests on arrays and booleans', () => {
    const h = harness(ruleSet({ admin: { trait: 'roles', in: ['admin', 'owner'] }, 'opted-in': { trait: 'newsletter', eq: true } }), {
      traits: { roles: ['editor', 'owner'], newsletter: 'true' },
    });
    expect(h.engine.members()).toEqual(['admin']);
  });
});
