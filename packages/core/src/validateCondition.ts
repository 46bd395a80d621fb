import type { ConditionKind } from './types.js';
import { validateKeys } from './validateKeys.js';
import { validateCluster, validateScore } from './validateModel.js';
import { at, fail, got, isPlainObject, type Check, type ValidationContext } from './validateShared.js';
import { CONDITION_KEYS, KIND_INFO, KINDS, kindsIn, validateSource } from './validateSource.js';
import { OPERATORS, validateOperators, type OperandRules } from './validateTest.js';

/** Conditions nest at most this deep; `when` is level 1. */
export const MAX_DEPTH = 32;

/** Conditions any rule set may hold; only a rule set built in code that reuses objects comes near it. */
export const MAX_CONDITIONS = 1_000_000;

/** Checks `all` or `any`, whose value is an array of conditions one level deeper (`depth` is passed as `extra`). */
const validateList: Check = (ctx, value, path, kind, depth) => {
  if (!Array.isArray(value)) return got(ctx, path, `"${kind as string}" needs an array of conditions`, value);
  // An index loop, not forEach: a hole in an array built in code is reported, not skipped.
  for (let i = 0; i < value.length; i++) validateCondition(ctx, value[i], at(path, i), (depth as number) + 1);
};

// The kinds whose value is not an event source; the check of `cluster` returns its labels.
const KIND_CHECKS: Readonly<Partial<Record<ConditionKind, Check>>> = {
  all: validateList,
  any: validateList,
  not: (ctx, value, path, _kind, depth) => validateCondition(ctx, value, path, (depth as number) + 1),
  segment: (ctx, value, path) => {
    if (typeof value === 'string') ctx.refs.push({ from: ctx.segment, to: value, path });
    else got(ctx, path, '"segment" needs the id of another segment', value);
  },
  bucket: (ctx, value, path) => {
    if (typeof value !== 'string') got(ctx, path, '"bucket" needs a salt string, e.g. "banner-test"', value);
  },
  score: validateScore,
  cluster: validateCluster,
};

/**
 * Checks a condition at nesting level `depth`. The depth is checked before going deeper, so a
 * 10,000-level input costs 33 stack frames, never a stack overflow.
 */
export function validateCondition(ctx: ValidationContext, value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) return fail(ctx, path, `conditions nest more than ${MAX_DEPTH} levels deep; flatten the "all"/"any"/"not" nesting`);
  if (++ctx.conditions > MAX_CONDITIONS) {
    if (ctx.conditions === MAX_CONDITIONS + 1) fail(ctx, path, `a rule set holds at most ${MAX_CONDITIONS} conditions`);
    return;
  }
  if (!isPlainObject(value)) return got(ctx, path, 'a condition must be an object such as {"count": "page_view", "gte": 1}', value);
  const keys = Object.keys(value);
  const kinds = kindsIn(keys);
  const kind = kinds[0];
  if (!kind) {
    validateKeys(ctx, value, path, [...CONDITION_KEYS], 'a condition', undefined, keys);
    return fail(ctx, path, `a condition needs exactly one kind: ${KINDS.join(', ')}`);
  }
  if (kinds.length > 1) return fail(ctx, path, `a condition takes exactly one kind, got ${kinds.join(', ')}; combine conditions with "all" or "any"`);
  const [tested, allowed, named] = KIND_INFO[kind];
  validateKeys(ctx, value, path, allowed, `${named} condition`, CONDITION_KEYS, keys);
  const check = KIND_CHECKS[kind];
  const rules = (check ? check(ctx, value[kind], at(path, kind), kind, depth) : validateSource(ctx, value, path, kind)) as OperandRules | undefined;
  if (tested && validateOperators(ctx, value, path, rules ?? {}, keys) === 0) {
    fail(ctx, path, `"${kind}" needs a test to compare its value with, e.g. "gte": 1 (operators: ${OPERATORS.join(', ')})`);
  }
}
