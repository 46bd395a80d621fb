import type { CompiledTest } from './compileTest.js';
import type { Primitive } from './types.js';

/**
 * A test on `vals[i]` as one closure: the scalar case of a one-operator test is inlined, arrays
 * and null go through the compiled test. A context segment is then one call per leaf instead of
 * three (leaf, operator, check), which is most of the stateless hot path.
 */
export function slotTest(vals: unknown[], i: number, test: CompiledTest): () => boolean {
  const { fn } = test;
  const [op, a] = test.single ?? [];
  // Arrays, null (and undefined, which no slot holds) keep the general path.
  const general = (v: unknown): boolean => typeof v === 'object' || v === undefined;
  switch (op) {
    case 'eq': return () => { const v = vals[i]; return general(v) ? fn(v) : v === a; };
    case 'in': return () => { const v = vals[i]; return general(v) ? fn(v) : (a as Primitive[]).includes(v as Primitive); };
    case 'gt': return () => { const v = vals[i]; return typeof v === 'number' ? v > (a as number) : fn(v); };
    case 'gte': return () => { const v = vals[i]; return typeof v === 'number' ? v >= (a as number) : fn(v); };
    case 'lt': return () => { const v = vals[i]; return typeof v === 'number' ? v < (a as number) : fn(v); };
    case 'lte': return () => { const v = vals[i]; return typeof v === 'number' ? v <= (a as number) : fn(v); };
    case 'prefix': return () => { const v = vals[i]; return typeof v === 'string' ? v.startsWith(a as string) : fn(v); };
    default: return () => fn(vals[i]);
  }
}
