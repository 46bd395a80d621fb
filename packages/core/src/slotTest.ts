import type { CompiledTest } from './compileTest.js';
import type { Primitive } from './types.js';

/** A test on a slot, reduced to an operator code, its operand and the general test. */
export interface SlotSpec { slot: number; code: number; a: unknown; fn: (v: unknown) => boolean }

// Operator codes; GENERAL: the compiled test alone (several operators, or one without a scalar case).
const GENERAL = 0;
const CODES: Partial<Record<string, number>> = { eq: 1, in: 2, gt: 3, gte: 4, lt: 5, lte: 6, prefix: 7 };

/** The spec of a test on `vals[slot]`. */
export function slotSpec(slot: number, test: CompiledTest): SlotSpec {
  const [op, a] = test.single ?? [];
  return { slot, code: (op && CODES[op]) ?? GENERAL, a, fn: test.fn };
}

/**
 * A slot test's verdict on `v`: the scalar case of a one-operator test inline, arrays and null
 * through the compiled test. A plain function with a switch, so a combinator's loop inlines it
 * and a context segment costs one call instead of one per leaf (the stateless hot path).
 */
export function scalarTest(code: number, v: unknown, a: unknown, fn: (v: unknown) => boolean): boolean {
  switch (code) {
    // Arrays, null (and undefined, which no slot holds) keep the general path.
    case 1: return typeof v === 'object' || v === undefined ? fn(v) : v === a;
    case 2: return typeof v === 'object' || v === undefined ? fn(v) : (a as Primitive[]).includes(v as Primitive);
    case 3: return typeof v === 'number' ? v > (a as number) : fn(v);
    case 4: return typeof v === 'number' ? v >= (a as number) : fn(v);
    case 5: return typeof v === 'number' ? v < (a as number) : fn(v);
    case 6: return typeof v === 'number' ? v <= (a as number) : fn(v);
    case 7: return typeof v === 'string' ? v.startsWith(a as string) : fn(v);
    default: return fn(v);
  }
}

/** A test on `vals[i]` as one closure, read at each call. */
export function slotTest(vals: unknown[], i: number, test: CompiledTest): () => boolean {
  const { code, a, fn } = slotSpec(i, test);
  return () => scalarTest(code, vals[i], a, fn);
}
