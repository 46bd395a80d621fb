import { ModelLeaf } from './leaves/ModelLeaf.js';
import { fromClock } from './localClock.js';
import type { Node } from './Node.js';
import { scalarTest, slotSpec, slotTest, type SlotSpec } from './slotTest.js';

/** What a compiled condition reads besides its leaves. */
export interface NodeEnv {
  /** The current membership of segment `i`. */
  member: (i: number) => boolean;
  /** A context or trait value as conditions see it (hour and weekday come from the clock). */
  attr: (kind: 'context' | 'trait', key: string, now: number) => unknown;
  /**
   * A slot in `vals` that the engine keeps equal to a context or trait value (null when absent):
   * an array read, where the null-prototype object behind it would be a dictionary lookup.
   */
  slot: (kind: 'context' | 'trait', key: string) => number;
  vals: unknown[];
}

/**
 * Compiles a node tree into nested closures, so evaluating a segment is a chain of direct calls
 * instead of a walk that switches on each node's kind (the stateless hot path).
 */
export function compileNode(n: Node, env: NodeEnv): (now: number) => boolean {
  return (n.ev = compile(n, env));
}

function compile(n: Node, env: NodeEnv): (now: number) => boolean {
  switch (n.k) {
    case 'all': case 'any': {
      const c = n.c.map((x) => compileNode(x, env));
      if (c.length === 1) return c[0] as (now: number) => boolean;
      return combine(n.k === 'all', n.c, c, env);
    }
    case 'not': {
      const f = compileNode(n.c[0] as Node, env);
      return (t) => !f(t);
    }
    case 'seg': {
      const i = n.seg;
      return () => env.member(i);
    }
    case 'attr': {
      const { key, test: { fn } } = n;
      if (fromClock(n.kind, key)) return (t) => fn(env.attr('context', key, t));
      return slotTest(env.vals, env.slot(n.kind, key), n.test);
    }
    case 'bucket': {
      const v = n.test.fn(n.value);
      return () => v;
    }
    default: {
      const { leaf, test } = n;
      // The network settles a leaf's verdict whenever it may flip, so reading it is exact; a model
      // also reads context and traits, which change without touching it, so its value is computed.
      if (!test || !(leaf instanceof ModelLeaf)) return () => leaf.verdict;
      const fn = test.fn;
      return (t) => fn(leaf.value(t));
    }
  }
}

/** A child that tests a context or trait slot, as a spec to inline; null for any other node. */
function slotOf(x: Node, env: NodeEnv): SlotSpec | null {
  return x.k === 'attr' && !fromClock(x.kind, x.key) ? slotSpec(env.slot(x.kind, x.key), x.test) : null;
}

/**
 * `all` (or `any`) over compiled children, with slot tests (the leaves of a context rule)
 * inlined: a call per node instead of one per leaf, the stateless hot path.
 */
function combine(all: boolean, nodes: Node[], c: ((now: number) => boolean)[], env: NodeEnv): (now: number) => boolean {
  const { vals } = env;
  const specs = nodes.map((x) => slotOf(x, env));
  if (c.length === 2) {
    const [p, q] = specs;
    const [a, b] = c as [(now: number) => boolean, (now: number) => boolean];
    if (p && q) {
      const [ps, pc, pa, pf, qs, qc, qa, qf] = [p.slot, p.code, p.a, p.fn, q.slot, q.code, q.a, q.fn];
      return all ? () => scalarTest(pc, vals[ps], pa, pf) && scalarTest(qc, vals[qs], qa, qf)
        : () => scalarTest(pc, vals[ps], pa, pf) || scalarTest(qc, vals[qs], qa, qf);
    }
    if (p || q) {
      const { slot, code, a: arg, fn } = (p ?? q) as SlotSpec;
      const f = p ? b : a;
      return all ? (t) => scalarTest(code, vals[slot], arg, fn) && f(t) : (t) => scalarTest(code, vals[slot], arg, fn) || f(t);
    }
    return all ? (t) => a(t) && b(t) : (t) => a(t) || b(t);
  }
  const len = c.length;
  return (t) => {
    for (let k = 0; k < len; k++) {
      const p = specs[k];
      if ((p ? scalarTest(p.code, vals[p.slot], p.a, p.fn) : (c[k] as (now: number) => boolean)(t)) !== all) return !all;
    }
    return all;
  };
}
