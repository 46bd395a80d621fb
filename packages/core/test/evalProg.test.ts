// A slot test's inline scalar case must answer exactly as the compiled test it stands for,
// for every operator and every kind of value a slot can hold (scalars, arrays, null).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTest, TEST_OPS } from '../src/compileTest.js';
import { compileNode } from '../src/compileNode.js';
import { evalProg, type NodeEnv } from '../src/evalProg.js';
import type { CompiledTest } from '../src/compileTest.js';

const scalar = fc.oneof(fc.constantFrom('a', 'ab', 'b', 'ba', '', 'x*'), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.constant(undefined));

function operand(op: (typeof TEST_OPS)[number]): fc.Arbitrary<unknown> {
  switch (op) {
    case 'in': return fc.array(scalar, { maxLength: 4 });
    case 'exists': return fc.boolean();
    case 'gt': case 'gte': case 'lt': case 'lte': return fc.integer({ min: -3, max: 3 });
    case 'prefix': case 'suffix': case 'contains': case 'glob': return fc.constantFrom('a', 'b', 'x*', '');
    default: return scalar;
  }
}
const test = fc.constantFrom(...TEST_OPS).chain((op) => operand(op).map((a) => ({ [op]: a })));

/** A context test on `vals[i]`, compiled as an engine would, and a reading of it. */
function slotTest(vals: unknown[], i: number, test: CompiledTest): () => boolean {
  const env: NodeEnv = { memberOf: () => false, attr: () => null, slot: () => i, vals, progCode: { op: [], x: [], a: [], fn: [], j: [] } };
  const [start, end] = compileNode({ k: 'attr', kind: 'context', path: '', key: 'k', test }, env);
  return () => evalProg(start, end, 0, env);
}

describe('evalProg slot tests', () => {
  it('agrees with the compiled test for each operator, one or two at a time, on any value', () => {
    fc.assert(fc.property(fc.oneof(test, fc.tuple(test, test).map(([x, y]) => ({ ...x, ...y }))), value, (source, v) => {
      const compiled = compileTest(source);
      const vals = [0, v];
      expect(slotTest(vals, 1, compiled)()).toBe(compiled.fn(v));
    }), { numRuns: 3000 });
  });

  it('reads the slot at each call, not at compile time', () => {
    const vals: unknown[] = ['a'];
    const holds = slotTest(vals, 0, compileTest({ eq: 'a' }));
    expect(holds()).toBe(true);
    vals[0] = ['b', 'a'];
    expect(holds()).toBe(true);
    vals[0] = null;
    expect(holds()).toBe(false);
  });
});
