import type { RuleSet } from '@seglet/core';
import { rulesHash } from '../dom/rulesHash.js';
import type { RulesMark } from './types.js';

/**
 * The beacon's note of a rule set got at `at`: each segment keyed by its id and a hash of its own
 * definition, so tabs on two rule sets find the segments both define alike. A change elsewhere
 * that alters a segment's meaning (a segment it reads, the session timeout) leaves its key as it
 * was: such a segment is batched by both tabs, as every segment was before tabs compared rules.
 */
export const rulesMark = (rules: RuleSet, at: number): RulesMark => ({
  at, keys: Object.keys(rules.segments).map((id) => `${id} ${rulesHash(rules.segments[id])}`),
});
