import type { Condition, RuleSet } from '@seglet/core';

/**
 * Ids of the segments the edge evaluates from the request: those whose every leaf is a `context`
 * condition or a reference to another such segment (no partial evaluation). The rest come only
 * from the cookie. `rules` must be valid (references resolve, no cycles).
 */
export function edgeSegments(rules: RuleSet): Set<string> {
  const memo = new Map<string, boolean>();
  const segmentIsEdge = (id: string): boolean => {
    let known = memo.get(id);
    if (known === undefined) {
      const rule = rules.segments[id];
      known = rule !== undefined && conditionIsEdge(rule.when, segmentIsEdge);
      memo.set(id, known);
    }
    return known;
  };
  const out = new Set<string>();
  for (const id of Object.keys(rules.segments)) if (segmentIsEdge(id)) out.add(id);
  return out;
}

function conditionIsEdge(condition: Condition, segmentIsEdge: (id: string) => boolean): boolean {
  if ('all' in condition) return condition.all.every((c) => conditionIsEdge(c, segmentIsEdge));
  if ('any' in condition) return condition.any.every((c) => conditionIsEdge(c, segmentIsEdge));
  if ('not' in condition) return conditionIsEdge(condition.not, segmentIsEdge);
  if ('segment' in condition) return segmentIsEdge(condition.segment);
  return 'context' in condition;
}
