import { describe, expect, it } from 'vitest';
import { ch, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { T0 } from '../helpers/fakeClock.js';

// Names such as toString are valid prop, trait and context names ([A-Za-z0-9_.:-]{1,64}); a missing one is
// null, never something inherited from Object.prototype.
describe('names that exist on Object.prototype', () => {
  it('a missing context or trait named like an Object.prototype member is null', () => {
    const h = harness(ruleSet({
      'ctx-missing': { context: 'toString', exists: false },
      'ctx-null': { context: 'hasOwnProperty', eq: null },
      'trait-missing': { trait: 'valueOf', exists: false },
      'trait-null': { trait: '__defineGetter__', eq: null },
    }));
    expect(h.engine.members()).toEqual(['ctx-missing', 'ctx-null', 'trait-missing', 'trait-null']);
  });

  it('such names can be set, read and removed', () => {
    const h = harness(ruleSet({ ts: { context: 'toString', eq: 'x' }, vo: { trait: 'valueOf', gte: 1 } }));
    h.clock.set(T0 + 1);
    expect(h.engine.setContext({ toString: 'x' })).toEqual([ch('ts', true, T0 + 1)]);
    expect(h.engine.identify('u', { valueOf: 2 })).toEqual([ch('vo', true, T0 + 1)]);
    h.clock.set(T0 + 2);
    expect(h.engine.setContext({ toString: null })).toEqual([ch('ts', false, T0 + 2)]);
    expect(h.engine.identify(null)).toEqual([ch('vo', false, T0 + 2)]);
  });

  it('a score term reading a missing prototype-named trait counts 0', () => {
    const h = harness(ruleSet({ zero: { score: { link: 'linear', terms: [{ weight: 1, value: { trait: 'toString' } }, { weight: 1, value: { context: 'constructor_x' } }] }, eq: 0 } }));
    expect(h.engine.members()).toEqual(['zero']);
  });

  it('event props named like Object.prototype members: missing is missing', () => {
    const h = harness(ruleSet({
      missing: { count: 'x', where: { toString: { exists: false } }, gte: 1 },
      sum: { sum: 'x', of: 'valueOf', eq: 0 },
      last: { last: 'x', of: 'hasOwnProperty', eq: null },
      set: { count: 'x', where: { toString: 'a' }, gte: 1 },
    }));
    expect(trackAt(h, T0, 'x', { other: 1 })).toEqual([ch('missing', true, T0)]);
    expect(h.engine.members()).toEqual(['missing', 'sum', 'last']);
    expect(trackAt(h, T0 + 1, 'x', { toString: 'a', valueOf: 3, hasOwnProperty: 1 })).toEqual([
      ch('sum', false, T0 + 1), ch('last', false, T0 + 1), ch('set', true, T0 + 1),
    ]);
  });
});
