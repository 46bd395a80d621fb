// Compiled conditions run as one flat instruction list with short-circuit jumps; every shape of children
// (slot tests, other nodes, two or more of them, nested) must answer as the plain reading of the tree does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileNode } from '../src/compileNode.js';
import { compileTest } from '../src/compileTest.js';
import { evalProg, type NodeEnv } from '../src/evalProg.js';
import type { Node } from '../src/Node.js';

const KEYS = ['a', 'b', 'c'];
const scalar = fc.oneof(fc.constantFrom('x', 'xy', 'y'), fc.integer({ min: -2, max: 2 }), fc.constant(null));
const test = fc.oneof(
  fc.record({ eq: scalar }), fc.record({ in: fc.array(scalar, { maxLength: 3 }) }), fc.record({ gte: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ prefix: fc.constantFrom('x', 'y') }), fc.record({ ne: scalar }), fc.record({ gt: fc.integer({ min: -2, max: 2 }), lt: fc.integer({ min: -2, max: 2 }) }),
);
const attr = fc.record({ key: fc.constantFrom(...KEYS), test }).map(({ key, test: t }): Node => ({ k: 'attr', kind: 'context', path: '', key, test: compileTest(t) }));
const seg = fc.integer({ min: 0, max: 1 }).map((i): Node => ({ k: 'seg', kind: 'segment', path: '', seg: i, id: `s${i}` }));
const { tree } = fc.letrec<{ tree: Node }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    attr, seg,
    fc.record({ k: fc.constantFrom('all', 'any' as const), c: fc.array(tie('tree'), { minLength: 0, maxLength: 4 }) }).map(({ k, c }): Node => ({ k, kind: k, path: '', c })),
    tie('tree').map((x): Node => ({ k: 'not', kind: 'not', path: '', c: [x] }))),
}));

function plain(n: Node, vals: Map<string, unknown>, member: boolean[]): boolean {
  switch (n.k) {
    case 'all': return n.c.every((x) => plain(x, vals, member));
    case 'any': return n.c.some((x) => plain(x, vals, member));
    case 'not': return !plain(n.c[0] as Node, vals, member);
    case 'seg': return member[n.seg] as boolean;
    case 'attr': return n.test.fn(vals.get(n.key));
    default: throw new Error('not generated');
  }
}

function nodes(n: Node): Node[] {
  return n.k === 'all' || n.k === 'any' || n.k === 'not' ? [n, ...n.c.flatMap(nodes)] : [n];
}

describe('compileNode', () => {
  it('answers as the plain reading of the tree for every mix of slot tests and other children', () => {
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }));
    fc.assert(fc.property(tree, fc.array(fc.tuple(fc.tuple(value, value, value), fc.tuple(fc.boolean(), fc.boolean())), { minLength: 1, maxLength: 4 }), (root, states) => {
      const vals: unknown[] = [];
      const slots = new Map<string, number>();
      const member = [false, false];
      const env: NodeEnv = {
        memberOf: (i) => member[i] as boolean, attr: () => null, vals,
        slot: (_kind, key) => slots.get(key) ?? (slots.set(key, vals.push(null) - 1), vals.length - 1),
        progCode: { op: [], x: [], a: [], fn: [], j: [] },
      };
      // Code already in the list (another segment's) must not change the range's answer.
      compileNode(root, env);
      const [start, end] = compileNode(root, env);
      for (const [values, members] of states) {
        const byKey = new Map(KEYS.map((k, i) => [k, values[i]]));
        for (const [k, i] of slots) vals[i] = byKey.get(k);
        member.splice(0, 2, ...members);
        expect(evalProg(start, end, 0, env)).toBe(plain(root, byKey, member));
        // explain evaluates each node on its own range, so every range must give its node's verdict.
        for (const n of nodes(root)) {
          const [from, to] = n.p as [number, number];
          expect(evalProg(from, to, 0, env)).toBe(plain(n, byKey, member));
        }
      }
    }), { numRuns: 2000 });
  });
});
