import { describe, expect, it } from 'vitest';
import { ch, harness, ruleSet, trackAt } from '../helpers/setup.js';
import { T0 } from '../helpers/fakeClock.js';

describe('all, any, not', () => {
  it('all of none is true, any of none is false, not inverts', () => {
    const h = harness(ruleSet({ 'all-empty': { all: [] }, 'any-empty': { any: [] }, 'not-any': { not: { any: [] } }, 'not-all': { not: { all: [] } } }));
    expect(h.engine.members()).toEqual(['all-empty', 'not-any']);
  });

  it('all needs every child, any needs one, nested', () => {
    const h = harness(ruleSet({
      both: { all: [{ count: 'a', gte: 1 }, { count: 'b', gte: 1 }] },
      either: { any: [{ count: 'a', gte: 1 }, { count: 'b', gte: 1 }] },
      neither: { not: { any: [{ count: 'a', gte: 1 }, { count: 'b', gte: 1 }] } },
      nested: { all: [{ any: [{ count: 'a', gte: 2 }, { not: { count: 'c', eq: 0 } }] }, { not: { not: { count: 'b', gte: 1 } } }] },
    }));
    expect(h.engine.members()).toEqual(['neither']);
    expect(trackAt(h, T0, 'a')).toEqual([ch('neither', false, T0), ch('either', true, T0)]);
    expect(trackAt(h, T0 + 1, 'b')).toEqual([ch('both', true, T0 + 1)]);
    expect(trackAt(h, T0 + 2, 'c')).toEqual([ch('nested', true, T0 + 2)]);
  });
});
