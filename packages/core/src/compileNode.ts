import { isModel } from './leaves/modelLeaf.js';
import { fromClock } from './localClock.js';
import type { Node } from './Node.js';
import { CLOCK, CONST, LEAF, MODEL, NOT, SEG, SLOT, SLOT_OPS, type NodeEnv } from './evalProg.js';

/**
 * Compiles a node tree onto the end of `env.code` and returns the range it holds (also set on each
 * node as `p`, for `explain`). Data, not closures: every segment runs the same loop, so evaluating
 * a segment is neither a call per node nor a call site that sees every rule shape (50 context
 * rules of five shapes ran at 38 ns a rule as nested closures).
 */
export function compileNode(n: Node, env: NodeEnv): [number, number] {
  const p = compileInto(n, env);
  const [start, end] = p;
  // A jump lands past its group's end, skipping the jump of the group around it (on the group's
  // last instruction): where that one fires on the same verdict, go on to its target at once.
  // Backwards, so the jump it lands on is already final (it lies further on).
  const j = env.progCode.j;
  for (let i = end - 1; i >= start; i--) {
    const to = j[i] as number;
    const next = to && (j[(to < 0 ? -to : to) - 1] as number);
    if (next && (next < 0) === (to < 0)) j[i] = next;
  }
  return p;
}

function compileInto(n: Node, env: NodeEnv): [number, number] {
  const start = env.progCode.op.length;
  compile(n, env);
  return (n.p = [start, env.progCode.op.length]);
}

function emit(env: NodeEnv, op: number, x: number, a?: unknown, fn?: (v: unknown) => boolean): number {
  const code = env.progCode;
  code.x.push(x);
  code.a.push(a);
  code.fn.push(fn);
  code.j.push(0);
  return code.op.push(op) - 1;
}

function compile(n: Node, env: NodeEnv): void {
  switch (n.k) {
    case 'all': case 'any': {
      // No children leave no instruction to set the verdict: an empty all holds, an empty any not.
      if (!n.c.length) emit(env, CONST, 0, n.k === 'all');
      const code = env.progCode;
      const ends: number[] = [];
      n.c.forEach((x, i) => {
        compileInto(x, env);
        if (i < n.c.length - 1) ends.push(code.op.length - 1);
      });
      // A child's verdict that decides the group jumps past its end: false in an all, true in an any.
      const to = n.k === 'all' ? code.op.length : -code.op.length;
      for (const e of ends) code.j[e] = to;
      return;
    }
    case 'not':
      compileInto(n.c[0] as Node, env);
      emit(env, NOT, 0);
      return;
    case 'seg': emit(env, SEG, n.seg); return;
    case 'attr': {
      const { key, test } = n;
      if (fromClock(n.kind, key)) emit(env, CLOCK, 0, key, test.fn);
      else {
        const [op, a] = test.single ?? [];
        emit(env, SLOT + (op ? SLOT_OPS.indexOf(op) + 1 : 0), env.slot(n.kind, key), a, test.fn);
      }
      return;
    }
    case 'bucket': emit(env, CONST, 0, n.test.fn(n.value)); return;
    default: {
      const { leaf, test } = n;
      // The network settles a leaf's verdict whenever it may flip, so reading it is exact; a model
      // also reads context and traits, which change without touching it, so its value is computed.
      if (!test || !isModel(leaf)) emit(env, LEAF, 0, leaf);
      else emit(env, MODEL, 0, leaf, test.fn);
    }
  }
}
