import type { CompiledTest } from './compileTest.js';
import type { Leaf } from './leaves/Leaf.js';
import type { ConditionKind } from './types.js';

/**
 * A compiled condition: boolean structure over leaves, attributes and other segments. `p`, set
 * by `compileNode`, is the range of the rule set's code that `evalProg` runs; evaluation and `explain` both read it.
 */
export type Node = { p?: [number, number] } & (
  | { k: 'all' | 'any'; kind: ConditionKind; path: string; c: Node[] }
  | { k: 'not'; kind: ConditionKind; path: string; c: Node[] }
  | { k: 'leaf'; kind: ConditionKind; path: string; leaf: Leaf; test: CompiledTest | null }
  | { k: 'seg'; kind: ConditionKind; path: string; seg: number; id: string }
  | { k: 'attr'; kind: 'context' | 'trait'; path: string; key: string; test: CompiledTest }
  | { k: 'bucket'; kind: ConditionKind; path: string; value: number; salt: string; test: CompiledTest });
