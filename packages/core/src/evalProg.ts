import type { Leaf } from './leaves/Leaf.js';
import type { Primitive } from './types.js';

/**
 * A rule set's compiled conditions as one instruction list in parallel arrays: each condition is
 * the range `[start, end)` its node holds in `Node.p`. An instruction sets the verdict (`acc`);
 * the short-circuit of all/any rides on the instruction that ends a child (`j`).
 */
export interface Code {
  op: number[];
  /** The segment (SEG) or the `vals` slot (slot tests). */
  x: number[];
  /** A slot test's operand, a clock attribute's key, a constant verdict (CONST) or the leaf read. */
  a: unknown[];
  /** The compiled test, where the instruction has one. */
  fn: (((v: unknown) => boolean) | undefined)[];
  /**
   * After the instruction, 0 or the jump past the end of an all/any: to `j` when the verdict is
   * false (all), to `-j` when it is true (any). A separate jump instruction cost a pass of the
   * loop per child: a third of the instructions a context rule ran.
   */
  j: number[];
}

/** What a compiled condition reads besides its leaves. */
export interface NodeEnv {
  /** The current membership of segment `i`. */
  memberOf: (i: number) => boolean;
  /** A context or trait value as conditions see it (hour and weekday come from the clock). */
  attr: (kind: 'context' | 'trait', key: string, now: number) => unknown;
  /**
   * A slot in `vals` that the engine keeps equal to a context or trait value (null when absent):
   * an array read, where the null-prototype object behind it would be a dictionary lookup.
   */
  slot: (kind: 'context' | 'trait', key: string) => number;
  vals: unknown[];
  progCode: Code;
}

/**
 * Instruction codes. A slot test is `SLOT` plus its operator's place in `SLOT_OPS` (0: the
 * compiled test alone, for several operators or one without a scalar case).
 */
export const NOT = 0, SEG = 1, CLOCK = 2, CONST = 3, LEAF = 4, MODEL = 5, SLOT = 6;
/** The operators whose scalar case is inline. */
export const SLOT_OPS = ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'prefix'];

/**
 * Whether the condition at `[pc, end)` holds at `now`. One loop over flat arrays, no call per node:
 * the segments of a rule set of mixed shapes all run the same code. Slot tests take their scalar
 * case inline; arrays and null (and undefined, which no slot holds) go through the compiled test.
 * Small enough (bytecode) for the optimizing compiler to inline it where segments are evaluated:
 * the rare instructions are in `rare`, and every slot test shares one call of its compiled test.
 */
export function evalProg(pc: number, end: number, now: number, env: NodeEnv): boolean {
  const { op, x, a, fn, j } = env.progCode;
  const vals = env.vals;
  let acc = false;
  for (; pc < end; pc++) {
    const o = op[pc] as number;
    if (o === LEAF) acc = (a[pc] as Leaf).isTrue;
    else if (o < SLOT) acc = rare(o, pc, now, env, acc);
    else test: {
      const v = vals[x[pc] as number];
      const t = a[pc];
      switch (o) {
        case SLOT + 1: if (typeof v === 'object' || v === undefined) break; acc = v === t; break test;
        case SLOT + 2: if (typeof v === 'object' || v === undefined) break; acc = (t as Primitive[]).includes(v as Primitive); break test;
        case SLOT + 3: if (typeof v !== 'number') break; acc = v > (t as number); break test;
        case SLOT + 4: if (typeof v !== 'number') break; acc = v >= (t as number); break test;
        case SLOT + 5: if (typeof v !== 'number') break; acc = v < (t as number); break test;
        case SLOT + 6: if (typeof v !== 'number') break; acc = v <= (t as number); break test;
        case SLOT + 7: if (typeof v !== 'string') break; acc = v.startsWith(t as string); break test;
      }
      acc = (fn[pc] as (v: unknown) => boolean)(v);
    }
    const to = j[pc] as number;
    // The jump lands past the group's end; `pc++` is still to come.
    if (to !== 0 && acc === (to < 0)) pc = (to < 0 ? -to : to) - 1;
  }
  return acc;
}

/** The instructions other than leaves and slot tests. */
function rare(o: number, pc: number, now: number, env: NodeEnv, acc: boolean): boolean {
  const { x, a, fn } = env.progCode;
  switch (o) {
    case NOT: return !acc;
    case SEG: return env.memberOf(x[pc] as number);
    case CLOCK: return (fn[pc] as (v: unknown) => boolean)(env.attr('context', a[pc] as string, now));
    case CONST: return a[pc] as boolean;
    default: return (fn[pc] as (v: unknown) => boolean)((a[pc] as Leaf).value(now));
  }
}
