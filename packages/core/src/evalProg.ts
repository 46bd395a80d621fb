import type { Leaf } from './leaves/Leaf.js';
import type { Primitive } from './types.js';

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
 * A compiled condition node. Every kind has the same fields, so the interpreter's reads see one
 * object shape. `op` is one of the codes below; a slot test is `SLOT` plus its operator's place in
 * `SLOT_OPS` (0: the compiled test alone, for several operators or one without a scalar case).
 */
export interface Prog {
  op: number;
  /** The segment (SEG) or the `vals` slot (slot tests). */
  i: number;
  /** A slot test's operand, a clock attribute's key, or a constant verdict (CONST). */
  a: unknown;
  kids: Prog[];
  /** The compiled test. */
  fn: (v: unknown) => boolean;
  leaf: Leaf | null;
}

export const ALL = 0, ANY = 1, NOT = 2, SEG = 3, CLOCK = 4, CONST = 5, LEAF = 6, MODEL = 7, SLOT = 8;
/** The operators whose scalar case is inline. */
export const SLOT_OPS = ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'prefix'];

/**
 * Whether `p` holds at `now`. Slot tests take their scalar case inline; arrays and null (and
 * undefined, which no slot holds) go through the compiled test.
 */
export function evalProg(p: Prog, now: number, env: NodeEnv): boolean {
  switch (p.op) {
    case ALL: {
      const k = p.kids;
      for (let j = 0; j < k.length; j++) if (!evalProg(k[j] as Prog, now, env)) return false;
      return true;
    }
    case ANY: {
      const k = p.kids;
      for (let j = 0; j < k.length; j++) if (evalProg(k[j] as Prog, now, env)) return true;
      return false;
    }
    case NOT: return !evalProg(p.kids[0] as Prog, now, env);
    case SEG: return env.member(p.i);
    case CLOCK: return p.fn(env.attr('context', p.a as string, now));
    case CONST: return p.a as boolean;
    case LEAF: return (p.leaf as Leaf).verdict;
    case MODEL: return p.fn((p.leaf as Leaf).value(now));
  }
  const v = env.vals[p.i];
  switch (p.op) {
    case SLOT + 1: return typeof v === 'object' || v === undefined ? p.fn(v) : v === p.a;
    case SLOT + 2: return typeof v === 'object' || v === undefined ? p.fn(v) : (p.a as Primitive[]).includes(v as Primitive);
    case SLOT + 3: return typeof v === 'number' ? v > (p.a as number) : p.fn(v);
    case SLOT + 4: return typeof v === 'number' ? v >= (p.a as number) : p.fn(v);
    case SLOT + 5: return typeof v === 'number' ? v < (p.a as number) : p.fn(v);
    case SLOT + 6: return typeof v === 'number' ? v <= (p.a as number) : p.fn(v);
    case SLOT + 7: return typeof v === 'string' ? v.startsWith(p.a as string) : p.fn(v);
    default: return p.fn(v);
  }
}
