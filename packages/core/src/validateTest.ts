import { parseDuration } from './parseDuration.js';
import { durationMessage, warnIfBeyondRetention } from './validateDuration.js';
import { didYouMean, validateKeys } from './validateKeys.js';
import {
  at, ctx, fail, got, isFiniteNumber, isPlainObject, isPrimitive, isString, NAME_RULE, needs, PROP_NAME, show, validateForbiddenKey,
} from './validateShared.js';

/**
 * Test operators of section 3.1, in the order the messages list them. The position tells the
 * operand: 0-1 a primitive, 2-5 a number, 6 an array of primitives, 7-10 a string, 11 a boolean.
 */
export const OPERATORS: readonly string[] = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'prefix', 'suffix', 'contains', 'glob', 'exists',
];

const NEEDS_STRING = /*#__PURE__*/ needs(isString, 'a string');
const NEEDS_BOOLEAN = /*#__PURE__*/ needs((value) => typeof value === 'boolean', 'true or false');

/** What the operands of a test may be, beyond the plain rules of section 3.1. */
export interface OperandRules {
  /**
   * `since` and session `duration` compare milliseconds: operands may be durations like `"7d"`,
   * and one longer than `retain.for` draws the retention warning.
   */
  durations?: boolean;
  /** `cluster` yields a centroid label: string operands of `eq`, `ne`, `in` must be one. */
  labels?: ReadonlySet<string>;
}

/** Checks an operand of `eq`, `ne`, `gt`, `gte`, `lt`, `lte` or an element of `in`. */
function checkOperand(value: unknown, path: string, op: string, { durations, labels }: OperandRules): void {
  const ordering = /^[gl]t/.test(op);
  // The value compared is a number of milliseconds: a string can only mean a duration (not in `in`).
  const inMs = durations && op !== 'in';
  if (inMs && typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms === undefined) fail(path, durationMessage(value));
    else warnIfBeyondRetention(ms, value, path);
  } else if (ordering ? !isFiniteNumber(value) : !isPrimitive(value)) {
    got(path, `"${op}" needs ${ordering ? `a number${durations ? ' or a duration like "7d"' : ''}` : 'a string, a finite number, true, false or null'}`, value);
  } else if (typeof value === 'string') {
    if (labels && !labels.has(value)) fail(path, `${show(value)} is not a centroid label${didYouMean(value, labels)}`);
    // Valid (an "in" element may be any value) but it can never equal a number of milliseconds.
    const ms = durations ? parseDuration(value) : undefined;
    if (ms !== undefined) {
      ctx.warnings.push({ path, message: `${show(value)} is a string and never equals the milliseconds compared here; "in" takes numbers (e.g. ${ms}), or use gte/lte with a duration` });
    }
  } else if (inMs && typeof value === 'number') {
    warnIfBeyondRetention(value, value, path);
  }
}

/**
 * Checks the operators present on `object` (other keys are checked by the caller) and returns
 * how many there are, so the caller can require at least one.
 */
export function validateOperators(
  object: Record<string, unknown>, path: string, rules: OperandRules, keys: readonly string[] = Object.keys(object),
): number {
  let found = 0;
  for (const op of keys) {
    const i = OPERATORS.indexOf(op);
    if (i < 0) continue;
    found++;
    const value = object[op];
    const opPath = at(path, op);
    if (i === 6) {
      if (Array.isArray(value)) for (let j = 0; j < value.length; j++) checkOperand(value[j], at(opPath, j), op, rules);
      else got(opPath, '"in" needs an array of values, e.g. ["a", "b"]', value);
    } else if (i > 6) {
      (i > 10 ? NEEDS_BOOLEAN : NEEDS_STRING)(value, opPath, op);
    } else {
      checkOperand(value, opPath, op, rules);
    }
  }
  return found;
}

/** Checks a test in `where`: a bare primitive (shorthand for `eq`) or an object of operators. */
function validateTest(value: unknown, path: string): void {
  if (isPrimitive(value)) return;
  if (!isPlainObject(value)) return got(path, 'a test is a value or an object of operators such as {"eq": "x"}', value);
  validateKeys(value, path, OPERATORS, 'a test');
  // With other keys present, the unknown-key error already says what is wrong.
  if (validateOperators(value, path, {}) === 0 && Object.keys(value).length === 0) {
    fail(path, `empty test; give at least one operator (${OPERATORS.join(', ')})`);
  }
}

/** Checks `where`: prop names mapped to tests. */
export function validateWhere(value: unknown, path: string): void {
  if (!isPlainObject(value)) return got(path, '"where" needs an object mapping prop names to tests, e.g. {"path": {"prefix": "/product/"}}', value);
  for (const key of Object.keys(value)) {
    const keyPath = at(path, key);
    if (validateForbiddenKey(key, keyPath)) continue;
    if (!PROP_NAME.test(key)) fail(keyPath, `${show(key)} is not a valid prop name; ${NAME_RULE}`);
    validateTest(value[key], keyPath);
  }
}
