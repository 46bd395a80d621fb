import type { ConditionKind } from './types.js';
import { validateAbandoned } from './validateAbandoned.js';
import { validateKeys } from './validateKeys.js';
import { validateCluster, validateScore } from './validateModel.js';
import { at, fail, isPlainObject, quoteKind, show, type ValidationContext } from './validateShared.js';
import { CONDITION_KEYS, KIND_PARAMS, KINDS, kindsIn, validateSource } from './validateSource.js';
import { OPERATORS, validateOperators, type OperandRules } from './validateTest.js';

/** Conditions nest at most this deep; `when` is level 1. */
export const MAX_DEPTH = 32;

/** Conditions any rule set may hold; only a rule set built in code that reuses objects comes near it. */
export const MAX_CONDITIONS = 1_000_000;

const UNTESTED: ReadonlySet<ConditionKind> = new Set(['all', 'any', 'not', 'segment', 'abandoned']);

// Keys allowed in a condition of each kind, built once: conditions are the bulk of a rule set.
const ALLOWED = new Map(KINDS.map((kind) => [kind, [kind, ...KIND_PARAMS[kind], ...(UNTESTED.has(kind) ? [] : OPERATORS)]]));
const OWNER = new Map(KINDS.map((kind) => [kind, `${quoteKind(kind)} condition`]));

/** Checks the single kind of a condition object; returns it, or undefined after reporting why not. */
function validateKind(ctx: ValidationContext, value: Record<string, unknown>, path: string, keys: readonly string[]): ConditionKind | undefined {
  const kinds = kindsIn(keys);
  if (kinds.length === 1) return kinds[0];
  if (kinds.length === 0) {
    validateKeys(ctx, value, path, [...CONDITION_KEYS], 'a condition', undefined, keys);
    fail(ctx, path, `a condition needs exactly one kind: ${KINDS.join(', ')}`);
  } else {
    fail(ctx, path, `a condition takes exactly one kind, got ${kinds.join(', ')}; combine conditions with "all" or "any"`);
  }
  return undefined;
}

/**
 * Checks a condition at nesting level `depth`. The depth is checked before going deeper, so a
 * 10,000-level input costs 33 stack frames, never a stack overflow.
 */
export function validateCondition(ctx: ValidationContext, value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) {
    fail(ctx, path, `conditions nest more than ${MAX_DEPTH} levels deep; flatten the "all"/"any"/"not" nesting`);
    return;
  }
  if (++ctx.conditions > MAX_CONDITIONS) {
    if (ctx.conditions === MAX_CONDITIONS + 1) fail(ctx, path, `a rule set holds at most ${MAX_CONDITIONS} conditions`);
    return;
  }
  if (!isPlainObject(value)) {
    fail(ctx, path, `a condition must be an object such as {"count": "page_view", "gte": 1}, got ${show(value)}`);
    return;
  }
  const keys = Object.keys(value);
  const kind = validateKind(ctx, value, path, keys);
  if (kind === undefined) return;
  const tested = !UNTESTED.has(kind);
  validateKeys(ctx, value, path, ALLOWED.get(kind) as string[], OWNER.get(kind) as string, CONDITION_KEYS, keys);
  const kindValue = value[kind];
  const kindPath = at(path, kind);
  let rules: OperandRules = {};
  switch (kind) {
    case 'all':
    case 'any':
      // Index loops, not forEach: a hole in an array built in code is reported, not skipped.
      if (Array.isArray(kindValue)) for (let i = 0; i < kindValue.length; i++) validateCondition(ctx, kindValue[i], at(kindPath, i), depth + 1);
      else fail(ctx, kindPath, `"${kind}" needs an array of conditions, got ${show(kindValue)}`);
      break;
    case 'not':
      validateCondition(ctx, kindValue, kindPath, depth + 1);
      break;
    case 'segment':
      if (typeof kindValue === 'string') ctx.refs.push({ from: ctx.segment, to: kindValue, path: kindPath });
      else fail(ctx, kindPath, `"segment" needs the id of another segment, got ${show(kindValue)}`);
      break;
    case 'bucket':
      if (typeof kindValue !== 'string') fail(ctx, kindPath, `"bucket" needs a salt string, e.g. "banner-test", got ${show(kindValue)}`);
      break;
    case 'abandoned':
      validateAbandoned(ctx, value, path);
      break;
    case 'score':
      validateScore(ctx, kindValue, kindPath);
      break;
    case 'cluster': {
      const labels = validateCluster(ctx, kindValue, kindPath);
      if (labels) rules = { labels };
      break;
    }
    default:
      rules = validateSource(ctx, value, path, kind);
  }
  if (tested && validateOperators(ctx, value, path, rules, keys) === 0) {
    fail(ctx, path, `"${kind}" needs a test to compare its value with, e.g. "gte": 1 (operators: ${OPERATORS.join(', ')})`);
  }
}
