import fc from 'fast-check';
import type { Condition, RuleSet } from '../../src/types.js';

// Scores and clusters over `since` terms change value every millisecond up to their cap, so their
// thresholds are crossed at instants no duration in the rules names: the hardest case for an
// incremental engine's nextChange(). This rule set focuses on them.
const expr = fc.oneof(
  fc.record({ since: fc.constantFrom('page_view', '*', 'purchase') }),
  fc.record({ count: fc.constantFrom('page_view', '*'), within: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ sum: fc.constantFrom('*'), of: fc.constant('value'), within: fc.integer({ min: 1, max: 40 }) }),
);
const term = expr.chain((value) => fc.record({
  weight: fc.constantFrom(-0.5, -0.25, 0.1, 0.25, 0.5, 1, -1, 0.3), value: fc.constant(value), cap: fc.integer({ min: 1, max: 60 }),
}));
const condition = fc.oneof(
  fc.record({
    score: fc.record({ bias: fc.integer({ min: -6, max: 6 }).map((n) => n / 2), terms: fc.array(term, { minLength: 1, maxLength: 3 }), link: fc.constantFrom('linear', 'logistic') as fc.Arbitrary<'linear' | 'logistic'> }),
    gt: fc.constantFrom(0.3, 0.5, 0.7, 0.9, 2, 5, -1),
  }),
  fc.record({
    cluster: fc.record({
      features: fc.array(term.map(({ value, cap }) => ({ value, cap })), { minLength: 2, maxLength: 2 }),
      mean: fc.constant([5, 5]),
      scale: fc.constantFrom([3, 7], [1, 1], [-2, 0.5]),
      centroids: fc.constant({ near: [0, 0], far: [2, -1], mid: [1, 1] }),
    }),
    eq: fc.constantFrom('near', 'far', 'mid'),
  }),
) as unknown as fc.Arbitrary<Condition>;

/** Two segments on scores/clusters of since, counts and sums; `b` also reads `a` (with its hold). */
export const scoreRuleSet: fc.Arbitrary<RuleSet> = fc.record({ a: condition, b: condition, hold: fc.integer({ min: 0, max: 20 }) })
  .map(({ a, b, hold }) => ({ version: 1, segments: { a: { when: a, hold }, b: { when: { any: [b, { segment: 'a' }] } } } }));
