import type { TimedHeap } from '../TimedHeap.js';
import type { Leaf } from './Leaf.js';
import { lastT, PointLeaf, type PointKind } from './PointLeaf.js';

/** One input of a score or cluster model. */
export interface Term {
  get: (now: number) => unknown;
  weight: number;
  cap: number | undefined;
  since: PointLeaf | undefined;
}

/** A `score` or `cluster` model: its inputs, its output for them, and where that output may change. */
export interface Model {
  readonly terms: Term[];
  /**
   * Scratch inputs, one array each, filled in place: a model is settled on every change of what
   * it reads, and bisection tries dozens of instants, so fresh arrays made it a large share of
   * the engine's garbage (and of the collections that land in a tracked event's latency).
   */
  readonly xs: number[];
  readonly ys: number[];
  /** The model's output for these inputs. */
  output(xs: number[]): unknown;
  /** The monotone predicates (over inputs at a later instant) whose first truth marks a possible change. */
  crossings(xs: number[], numbers: readonly number[]): ((ys: number[]) => boolean)[];
}

/** What a model input counts as: true 1, false 0, non-numbers 0, Infinity capped. */
export function termNumber(v: unknown, cap: number | undefined): number {
  const x = typeof v === 'number' ? v : v === true ? 1 : 0;
  return cap === undefined ? x : Math.min(x, cap);
}

/** First instant in (lo, hi] where `p` holds, given that it does not at lo and is monotone. */
export function firstTrue(lo: number, hi: number, p: (t: number) => boolean): number {
  if (!p(hi)) return Infinity;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (p(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The inputs at `now`, in `m.xs`. */
function inputs(m: Model, now: number): number[] {
  const { terms, xs } = m;
  for (let i = 0; i < terms.length; i++) xs[i] = termNumber((terms[i] as Term).get(now), (terms[i] as Term).cap);
  return xs;
}

/**
 * Between events a model's output varies only through uncapped `since` terms, which grow 1 per
 * ms: on such a stretch the output is monotone (score) or the nearest centroid changes at linear
 * crossings (cluster), so the next change is found by bisection rather than by waking every
 * millisecond.
 */
function nextAt({ s: m, numbers }: PointLeaf<Model>, now: number): number {
  let end = Infinity;
  for (const { since, cap } of m.terms) {
    const t = since && lastT(since);
    if (t !== undefined && cap !== undefined && now - t < cap) end = Math.min(end, t + cap);
  }
  if (end === Infinity) return Infinity;
  // Only `since` inputs move between events; every other input keeps its value at `now` (reading
  // a window at a later instant would expire it for good). `value` has just read them all at
  // `now` into `m.xs` (see PointKind.arm): read again, each term's leaf was asked twice a settle.
  const { terms, xs, ys } = m;
  const at = (t: number): number[] => {
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as Term;
      const last = term.since && lastT(term.since);
      ys[i] = last === undefined ? (xs[i] as number) : termNumber(t - last, term.cap);
    }
    return ys;
  };
  let next = end;
  for (const p of m.crossings(xs, numbers)) next = Math.min(next, firstTrue(now, end, (t) => p(at(t))));
  return next;
}

/** A `score` or `cluster` leaf: reads its terms, in no alpha of its own. */
const MODEL: PointKind<Model> = {
  drop: null,
  value: ({ s }, now) => s.output(inputs(s, now)),
  arm: (leaf, now, heap: TimedHeap) => heap.set(leaf, nextAt(leaf, now)),
};

/** A leaf computing `model`. */
export const modelLeaf = (model: Model, text: string): PointLeaf<Model> => new PointLeaf(MODEL, null, text, model);

/** Whether `leaf` is a score or cluster (its value feeds a test compiled apart). */
export const isModel = (leaf: Leaf): boolean => leaf instanceof PointLeaf && leaf.k === MODEL;
