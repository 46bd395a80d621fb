import { compileGlob } from './glob.js';
import { parseDuration } from './parseDuration.js';
import type { Primitive } from './types.js';

/** The operator keys a test may carry, beside a condition's own keys. */
export const TEST_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'prefix', 'suffix', 'contains', 'glob', 'exists'] as const;
/** A test operator. */
export type Op = (typeof TEST_OPS)[number];

/** A compiled test: the predicate, its numeric operands (where truth can flip) and a reading. */
export interface CompiledTest {
  fn: (v: unknown) => boolean;
  numbers: number[];
  text: string;
  /** The operator and operand when the test has exactly one (a slot test inlines its scalar case). */
  single: [Op, unknown] | null;
}

type Check = (x: Primitive) => boolean;

/** The test of one operator on a single value (no array case: see `operatorFn`). */
export function primitiveCheck(op: Op, a: unknown): Check {
  switch (op) {
    case 'eq': return (x) => x === a;
    case 'gt': return (x) => typeof x === 'number' && x > (a as number);
    case 'gte': return (x) => typeof x === 'number' && x >= (a as number);
    case 'lt': return (x) => typeof x === 'number' && x < (a as number);
    case 'lte': return (x) => typeof x === 'number' && x <= (a as number);
    case 'in': return (x) => (a as Primitive[]).includes(x);
    case 'prefix': return (x) => typeof x === 'string' && x.startsWith(a as string);
    case 'suffix': return (x) => typeof x === 'string' && x.endsWith(a as string);
    case 'contains': return (x) => typeof x === 'string' && x.includes(a as string);
    default: {
      const match = compileGlob(a as string);
      return (x) => typeof x === 'string' && match(x);
    }
  }
}

function operatorFn(op: Op, a: unknown): (v: unknown) => boolean {
  if (op === 'exists') return (v) => (v !== null && v !== undefined) === a;
  if (op === 'ne') {
    return (v) => (Array.isArray(v) ? !v.includes(a as Primitive) : (v ?? null) !== a);
  }
  const check = primitiveCheck(op, a);
  return (v) => (Array.isArray(v) ? v.some(check) : check((v ?? null) as Primitive));
}

/**
 * Compiles the test operators found on `source` (a condition or a `where` entry). A bare
 * primitive means `{ eq: value }`. With `durations`, comparison operands may be duration strings.
 */
export function compileTest(source: unknown, durations = false): CompiledTest {
  const ops = source !== null && typeof source === 'object' && !Array.isArray(source)
    ? (source as Record<string, unknown>)
    : { eq: source };
  const fns: ((v: unknown) => boolean)[] = [];
  const numbers: number[] = [];
  const parts: string[] = [];
  let single: [Op, unknown] | null = null;
  for (const op of TEST_OPS) {
    if (!Object.hasOwn(ops, op)) continue;
    let a = ops[op];
    if (durations && typeof a === 'string' && op !== 'in') a = parseDuration(a) ?? a;
    fns.push(operatorFn(op, a));
    single = fns.length === 1 ? [op, a] : null;
    for (const n of Array.isArray(a) ? a : [a]) if (typeof n === 'number') numbers.push(n);
    parts.push(`${op} ${JSON.stringify(a)}`);
  }
  const [first, second] = fns;
  const fn = fns.length === 1 ? (first as (v: unknown) => boolean)
    : fns.length === 2 ? (v: unknown) => (first as (v: unknown) => boolean)(v) && (second as (v: unknown) => boolean)(v)
      : (v: unknown) => fns.every((f) => f(v));
  return { fn, numbers, text: parts.join(', '), single };
}
