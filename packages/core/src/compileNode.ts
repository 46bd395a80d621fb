import { fromClock } from './localClock.js';
import type { Node } from './Node.js';
import { slotTest } from './slotTest.js';

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
      const [a, b] = c as [(now: number) => boolean, (now: number) => boolean];
      if (c.length === 1) return a;
      if (n.k === 'all') return c.length === 2 ? (t) => a(t) && b(t) : (t) => c.every((f) => f(t));
      return c.length === 2 ? (t) => a(t) || b(t) : (t) => c.some((f) => f(t));
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
      if (!test) return (t) => leaf.value(t) === true;
      const fn = test.fn;
      return (t) => fn(leaf.value(t));
    }
  }
}
