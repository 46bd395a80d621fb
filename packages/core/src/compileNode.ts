import { isModel } from './leaves/modelLeaf.js';
import { fromClock } from './localClock.js';
import type { Node } from './Node.js';
import { CLOCK, CONST, JF, JT, LEAF, MODEL, NOT, SEG, SLOT, SLOT_OPS, type NodeEnv } from './evalProg.js';

/**
 * Compiles a node tree onto the end of `env.code` and returns the range it holds (also set on each
 * node as `p`, for `explain`). Data, not closures: every segment runs the same loop, so evaluating
 * a segment is neither a call per node nor a call site that sees every rule shape (50 context
 * rules of five shapes ran at 38 ns a rule as nested closures).
 */
export function compileNode(n: Node, env: NodeEnv): [number, number] {
  const start = env.progCode.op.length;
  compile(n, env);
  return (n.p = [start, env.progCode.op.length]);
}

function emit(env: NodeEnv, op: number, x: number, a?: unknown, fn?: (v: unknown) => boolean): number {
  const code = env.progCode;
  code.x.push(x);
  code.a.push(a);
  code.fn.push(fn);
  return code.op.push(op) - 1;
}

function compile(n: Node, env: NodeEnv): void {
  switch (n.k) {
    case 'all': case 'any': {
      // No children leave no instruction to set the verdict: an empty all holds, an empty any not.
      if (!n.c.length) emit(env, CONST, 0, n.k === 'all');
      const jumps: number[] = [];
      n.c.forEach((x, i) => {
        compileNode(x, env);
        if (i < n.c.length - 1) jumps.push(emit(env, n.k === 'all' ? JF : JT, 0));
      });
      for (const j of jumps) env.progCode.x[j] = env.progCode.op.length;
      return;
    }
    case 'not':
      compileNode(n.c[0] as Node, env);
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
