import { createEngine } from '@seglet/core';
import type { Props, RuleSet } from '@seglet/core';

/**
 * Members among the edge-evaluated segments (`rules` holds only those): a fresh engine with the
 * request's context at `now` in `timeZone`. Throws what `createEngine` throws (bad context values).
 */
export function evaluateEdge(rules: RuleSet, context: Props, now: () => number, timeZone: string): Set<string> {
  // No onError: nothing here tracks events or runs callbacks, so nothing can be reported later.
  const engine = createEngine({ rules, context, now, timeZone, anonymousId: 'edge' });
  return new Set(engine.members());
}
