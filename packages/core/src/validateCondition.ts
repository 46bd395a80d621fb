import type { ConditionKind } from './types.js';
import { validateKeys } from './validateKeys.js';
import { validateCluster, validateScore } from './validateModel.js';
import { at, ctx, fail, got, isPlainObject, isString, needs, type Check } from './validateShared.js';
import { CONDITION_KEYS, KIND_INFO, KINDS, kindsIn, validateParams, validateSource } from './validateSource.js';
import { OPERATORS, validateOperators, type OperandRules } from './validateTest.js';

/** Conditions nest at most this deep; `when` is level 1. */
export const MAX_DEPTH = 32;

/** Conditions any rule set may hold; only a rule set built in code that reuses objects comes near it. */
export const MAX_CONDITIONS = 1_000_000;

/** Checks `all` or `any`, whose value is an array of conditions one level deeper (`depth` is passed as `extra`). */
const validateList: Check = (value, path, kind, depth) => {
  if (!Array.isArray(value)) return got(path, `"${kind as string}" needs an array of conditions`, value);
  // An index loop, not forEach: a hole in an array built in code is reported, not skipped.
  for (let i = 0; i < value.length; i++) validateCondition(value[i], at(path, i), (depth as number) + 1);
};

// The kinds whose value is not an event source; the check of `cluster` returns its labels.
const KIND_CHECKS: Readonly<Partial<Record<ConditionKind, Check>>> = {
  all: validateList,
  any: validateList,
  not: (value, path, _kind, depth) => validateCondition(value, path, (depth as number) + 1),
  segment: (value, path) => {
    if (typeof value === 'string') ctx.refs.push({ from: ctx.segId, to: value, path });
    else got(path, '"segment" needs the id of another segment', value);
  },
  bucket: /*#__PURE__*/ needs(isString, 'a salt string, e.g. "banner-test"'),
  score: validateScore,
  cluster: validateCluster,
};

/**
 * Checks a condition at nesting level `depth`. The depth is checked before going deeper, so a
 * 10,000-level input costs 33 stack frames, never a stack overflow.
 */
export function validateCondition(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) return fail(path, `conditions nest more than ${MAX_DEPTH} levels deep; flatten the "all"/"any"/"not" nesting`);
  if (++ctx.conditions > MAX_CONDITIONS) {
    if (ctx.conditions === MAX_CONDITIONS + 1) fail(path, `a rule set holds at most ${MAX_CONDITIONS} conditions`);
    return;
  }
  if (!isPlainObject(value)) return got(path, 'a condition must be an object such as {"count": "page_view", "gte": 1}', value);
  const keys = Object.keys(value);
  const kinds = kindsIn(keys);
  const kind = kinds[0];
  if (!kind || kinds.length > 1) {
    // Its parameters and keys are checked all the same: a misspelt kind hid every other mistake.
    validateKeys(value, path, [...CONDITION_KEYS], 'a condition', undefined, keys);
    validateParams(value, path);
    return fail(path, kind ? `a condition takes exactly one kind, got ${kinds.join(', ')}; combine conditions with "all" or "any"` : `a condition needs exactly one kind: ${KINDS.join(', ')}`);
  }
  const [tested, allowed, named] = KIND_INFO[kind];
  validateKeys(value, path, allowed, `${named} condition`, CONDITION_KEYS, keys);
  const check = KIND_CHECKS[kind];
  const rules = (check ? check(value[kind], at(path, kind), kind, depth) : validateSource(value, path, kind)) as OperandRules | undefined;
  if (tested && validateOperators(value, path, rules ?? {}, keys) === 0) {
    fail(path, `"${kind}" needs a test to compare its value with, e.g. "gte": 1 (operators: ${OPERATORS.join(', ')})`);
  }
}
