import { validateRules } from '@seglet/core';
import type { RuleSet, SegmentRule } from '@seglet/core';
import { edgeSegments } from './edgeSegments.js';
import { createReporter, type Reporter } from './report.js';
import type { DecideOptions } from './types.js';

/** Rule-set variants kept per prepared rule set (one per distinct set of held ids seen in cookies). */
const MAX_VARIANTS = 64;

/** A rule set validated and analysed once, shared by every request that passes the same object. */
export interface Prepared {
  valid: boolean;
  /** Segment ids in declaration order. */
  order: string[];
  ids: Set<string>;
  /** Segments evaluated from the request. */
  edge: Set<string>;
  /** Edge-evaluated segments with a `hold`: also members while the cookie lists them. */
  held: Set<string>;
  /** The edge-evaluated segments as a rule set of their own, per set of held ids from the cookie. */
  rulesFor(heldInCookie: string[]): RuleSet | null;
  reporter: Reporter;
}

const byRules = new WeakMap<object, Prepared>();
const byOptions = new WeakMap<object, Prepared>();

/**
 * Validates `options.rules` once per rules object (or per options object when `rules` is not an
 * object): an invalid rule set is reported once and makes every response pass through.
 */
export function prepareRules(options: DecideOptions): Prepared {
  const rules: unknown = options.rules;
  const cache = typeof rules === 'object' && rules !== null ? byRules : byOptions;
  const key = cache === byRules ? (rules as object) : options;
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = prepare(rules, options);
    cache.set(key, prepared);
  }
  return prepared;
}

function prepare(input: unknown, options: DecideOptions): Prepared {
  const reporter = createReporter();
  const result = validateRules(input);
  if (!result.ok) {
    reporter.once(options.onError, 'invalid_rules', `seglet: the rule set is invalid (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}, first at ${result.errors[0]?.path || '/'}: ${result.errors[0]?.message ?? ''}); every response passes through untouched`, result.errors[0]?.path ?? '');
    return { valid: false, order: [], ids: new Set(), edge: new Set(), held: new Set(), rulesFor: () => null, reporter };
  }
  const rules = result.rules;
  const order = Object.keys(rules.segments);
  const edge = edgeSegments(rules);
  const held = new Set([...edge].filter((id) => rules.segments[id]?.hold !== undefined));
  const variants = new Map<string, RuleSet | null>();
  const rulesFor = (heldInCookie: string[]): RuleSet | null => {
    const key = heldInCookie.join(',');
    let variant = variants.get(key);
    if (variant === undefined) {
      variant = edgeRuleSet(rules, order, edge, new Set(heldInCookie));
      if (variants.size >= MAX_VARIANTS) variants.clear();
      variants.set(key, variant);
    }
    return variant;
  };
  return { valid: true, order, ids: new Set(order), edge, held, rulesFor, reporter };
}

/**
 * The edge-evaluated segments alone. A held segment the cookie lists is a member ("true now or
 * listed in the cookie"), so its condition becomes `{ all: [] }` (always true) and the segments
 * that refer to it see it as a member too. `hold` is left out: a fresh engine has no past.
 */
function edgeRuleSet(rules: RuleSet, order: string[], edge: Set<string>, heldInCookie: Set<string>): RuleSet | null {
  if (edge.size === 0) return null;
  const segments: Record<string, SegmentRule> = {};
  for (const id of order) {
    const rule = rules.segments[id];
    if (!rule || !edge.has(id)) continue;
    segments[id] = { when: heldInCookie.has(id) ? { all: [] } : rule.when };
  }
  return { version: 1, segments };
}
