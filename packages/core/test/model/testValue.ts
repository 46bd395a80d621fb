import type { Primitive, Test, TestOperators } from '../../src/types.js';
import { globMatch } from './glob.js';
import { durationMs } from './durationMs.js';

/** A value as compared by a test: a primitive (numbers may be Infinity, for `since`), an array, or missing. */
export type Value = Primitive | Primitive[] | undefined;

const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'prefix', 'suffix', 'contains', 'glob', 'exists'] as const;

/** The test operators written on a condition or a `where` entry (a bare primitive means `{ eq }`). */
export function operatorsOf(test: Test | Record<string, unknown>): TestOperators {
  if (test === null || typeof test !== 'object') return { eq: test };
  const ops: Record<string, unknown> = {};
  for (const op of OPERATORS) if (Object.hasOwn(test, op)) ops[op] = (test as Record<string, unknown>)[op];
  return ops as TestOperators;
}

/**
 * Spec 3.1: every operator must hold. `durations` is set for `since` and session `duration`,
 * where operands of gt/gte/lt/lte/eq/ne may be duration strings.
 */
export function testValue(ops: TestOperators, value: Value, durations = false): boolean {
  // reading: a missing value is treated exactly like null (so `eq: null` holds and `ne: null`
  // fails for a missing prop); the spec says missing context keys and traits "are null".
  const v: Primitive | Primitive[] = value === undefined ? null : value;
  const operand = (x: unknown): unknown => (durations && typeof x === 'string' ? durationMs(x) : x);
  for (const op of OPERATORS) {
    if (!Object.hasOwn(ops, op)) continue;
    const arg = operand((ops as Record<string, unknown>)[op]);
    if (!holds(op, arg, v)) return false;
  }
  return true;
}

function holds(op: (typeof OPERATORS)[number], arg: unknown, v: Primitive | Primitive[]): boolean {
  if (op === 'exists') return arg === (v !== null);
  if (op === 'ne') return Array.isArray(v) ? !v.some((x) => x === arg) : v !== arg;
  const one = (x: Primitive): boolean => scalar(op, arg, x);
  return Array.isArray(v) ? v.some(one) : one(v);
}

function scalar(op: string, arg: unknown, x: Primitive): boolean {
  switch (op) {
    case 'eq': return x === arg;
    case 'in': return (arg as Primitive[]).some((a) => a === x);
    case 'gt': return typeof x === 'number' && typeof arg === 'number' && x > arg;
    case 'gte': return typeof x === 'number' && typeof arg === 'number' && x >= arg;
    case 'lt': return typeof x === 'number' && typeof arg === 'number' && x < arg;
    case 'lte': return typeof x === 'number' && typeof arg === 'number' && x <= arg;
    case 'prefix': return typeof x === 'string' && x.startsWith(arg as string);
    case 'suffix': return typeof x === 'string' && x.endsWith(arg as string);
    case 'contains': return typeof x === 'string' && x.includes(arg as string);
    case 'glob': return typeof x === 'string' && globMatch(arg as string, x);
    default: throw new Error(`model: unknown operator ${op}`);
  }
}
