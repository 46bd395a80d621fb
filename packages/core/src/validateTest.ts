import { parseDuration } from './parseDuration.js';
import { durationMessage, warnIfBeyondRetention } from './validateDuration.js';
import { didYouMean, validateKeys } from './validateKeys.js';
import {
  at, fail, isFiniteNumber, isPlainObject, isPrimitive, PROP_NAME, show, validateForbiddenKey, type ValidationContext,
} from './validateShared.js';

/** Test operators of section 3.1, in the order the messages list them. */
export const OPERATORS: readonly string[] = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'prefix', 'suffix', 'contains', 'glob', 'exists',
];

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const ORDERING: ReadonlySet<string> = new Set(['gt', 'gte', 'lt', 'lte']);
const STRING_OPERATORS: ReadonlySet<string> = new Set(['prefix', 'suffix', 'contains', 'glob']);

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

/** Checks one string operand against the centroid labels, with a did-you-mean. */
function checkLabel(ctx: ValidationContext, value: string, path: string, labels: ReadonlySet<string>): void {
  if (!labels.has(value)) fail(ctx, path, `${show(value)} is not a centroid label${didYouMean(ctx, value, labels)}`);
}

/** Checks an operand of `eq`, `ne` or an element of `in`. */
function checkPrimitive(ctx: ValidationContext, value: unknown, path: string, op: string, rules: OperandRules): void {
  if (!isPrimitive(value)) {
    fail(ctx, path, `"${op}" needs a string, a finite number, true, false or null, got ${show(value)}`);
  } else if (typeof value === 'string' && rules.labels) {
    checkLabel(ctx, value, path, rules.labels);
  } else if (typeof value === 'string' && rules.durations && op !== 'in') {
    // The value compared is a number of milliseconds: a string can only mean a duration.
    const ms = parseDuration(value);
    if (ms === undefined) fail(ctx, path, durationMessage(value));
    else warnIfBeyondRetention(ctx, ms, value, path);
  } else if (typeof value === 'number' && rules.durations && op !== 'in') {
    warnIfBeyondRetention(ctx, value, value, path);
  }
}

/** Checks an operand of `gt`, `gte`, `lt` or `lte`. */
function checkOrdering(ctx: ValidationContext, value: unknown, path: string, op: string, rules: OperandRules): void {
  if (rules.durations && typeof value === 'string') {
    checkPrimitive(ctx, value, path, op, rules);
  } else if (!isFiniteNumber(value)) {
    fail(ctx, path, `"${op}" needs a number${rules.durations ? ' or a duration like "7d"' : ''}, got ${show(value)}`);
  } else if (rules.durations) {
    warnIfBeyondRetention(ctx, value, value, path);
  }
}

/**
 * Checks the operators present on `object` (other keys are checked by the caller) and returns
 * how many there are, so the caller can require at least one.
 */
export function validateOperators(
  ctx: ValidationContext, object: Record<string, unknown>, path: string, rules: OperandRules, keys: readonly string[] = Object.keys(object),
): number {
  let found = 0;
  for (const op of keys) {
    if (!OPERATOR_SET.has(op)) continue;
    found++;
    const value = object[op];
    const opPath = at(path, op);
    if (op === 'eq' || op === 'ne') {
      checkPrimitive(ctx, value, opPath, op, rules);
    } else if (ORDERING.has(op)) {
      checkOrdering(ctx, value, opPath, op, rules);
    } else if (op === 'in') {
      if (!Array.isArray(value)) fail(ctx, opPath, `"in" needs an array of values, e.g. ["a", "b"], got ${show(value)}`);
      else for (let i = 0; i < value.length; i++) checkPrimitive(ctx, value[i], at(opPath, i), op, rules);
    } else if (STRING_OPERATORS.has(op)) {
      if (typeof value !== 'string') fail(ctx, opPath, `"${op}" needs a string, got ${show(value)}`);
    } else if (typeof value !== 'boolean') {
      fail(ctx, opPath, `"exists" needs true or false, got ${show(value)}`);
    }
  }
  return found;
}

/** Checks a test in `where`: a bare primitive (shorthand for `eq`) or an object of operators. */
export function validateTest(ctx: ValidationContext, value: unknown, path: string): void {
  if (isPrimitive(value)) return;
  if (!isPlainObject(value)) {
    fail(ctx, path, `a test is a value or an object of operators such as {"eq": "x"}, got ${show(value)}`);
    return;
  }
  validateKeys(ctx, value, path, OPERATORS, 'a test');
  // With other keys present, the unknown-key error already says what is wrong.
  if (validateOperators(ctx, value, path, {}) === 0 && Object.keys(value).length === 0) {
    fail(ctx, path, `empty test; give at least one operator (${OPERATORS.join(', ')})`);
  }
}

/** Checks `where`: prop names mapped to tests. */
export function validateWhere(ctx: ValidationContext, value: unknown, path: string): void {
  if (!isPlainObject(value)) {
    fail(ctx, path, `"where" needs an object mapping prop names to tests, e.g. {"path": {"prefix": "/product/"}}, got ${show(value)}`);
    return;
  }
  for (const key of Object.keys(value)) {
    const keyPath = at(path, key);
    if (validateForbiddenKey(ctx, key, keyPath)) continue;
    if (!PROP_NAME.test(key)) {
      fail(ctx, keyPath, `${show(key)} is not a valid prop name; use 1 to 64 letters, digits, _ . : or -`);
    }
    validateTest(ctx, value[key], keyPath);
  }
}
