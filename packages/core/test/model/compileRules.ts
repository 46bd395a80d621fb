import type { Condition, RuleSet, TestOperators } from '../../src/types.js';
import { durationMs } from './durationMs.js';

/** What the model needs from a (valid) rule set, precomputed once. */
export interface Compiled {
  /** Segment ids in declaration order (the order of change emission). */
  ids: string[];
  /** Segment ids with every referenced segment before its referrers (evaluation order). */
  order: string[];
  when: Map<string, Condition>;
  hold: Map<string, number>;
  timeout: number;
  retainEvents: number;
  retainFor: number;
  /**
   * Every duration or `since` threshold a rule mentions: truth can only change because time
   * passed at (event t) + one of these (+-1), at a hold expiry, or on a local hour turn.
   */
  offsets: number[];
  /** Caps of `since` terms in score/cluster: such a value changes every ms up to (event t) + cap. */
  sinceCaps: number[];
  /** Whether some rule reads context `hour` or `weekday`. */
  usesClock: boolean;
}

type Node = Record<string, unknown>;
const SINCE_OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const;

/** Reads a rule set the model trusts to be valid (the property test only generates valid ones). */
export function compileRules(rules: RuleSet): Compiled {
  const ids = Object.keys(rules.segments);
  const when = new Map<string, Condition>();
  const hold = new Map<string, number>();
  const offsets = new Set<number>();
  const sinceCaps: number[] = [];
  let usesClock = false;
  const deps = new Map<string, string[]>();
  const timeout = durationMs(rules.session?.timeout ?? '30m');
  const retainFor = durationMs(rules.retain?.for ?? '90d');
  const retainEvents = rules.retain?.events ?? 10_000;
  offsets.add(retainFor);
  offsets.add(timeout);

  const window = (n: Node): void => {
    if (n.within !== undefined && n.within !== 'session') offsets.add(durationMs(n.within));
  };
  const expr = (n: Node, cap: number | undefined): void => {
    window(n);
    if ('since' in n) sinceCaps.push(cap ?? 0);
    if ('context' in n && (n.context === 'hour' || n.context === 'weekday')) usesClock = true;
  };
  const walk = (n: Node, refs: string[]): void => {
    if ('all' in n || 'any' in n) for (const c of (n.all ?? n.any) as Node[]) walk(c, refs);
    else if ('not' in n) walk(n.not as Node, refs);
    else if ('segment' in n) refs.push(n.segment as string);
    else if ('abandoned' in n) {
      offsets.add(durationMs(n.after));
      window(n);
    } else if ('score' in n) for (const term of (n.score as { terms: Node[] }).terms) expr(term.value as Node, term.cap as number | undefined);
    else if ('cluster' in n) for (const f of (n.cluster as { features: Node[] }).features) expr(f.value as Node, f.cap as number | undefined);
    else {
      expr(n, undefined);
      if ('since' in n) {
        const ops = n as TestOperators;
        for (const op of SINCE_OPS) {
          const v = ops[op];
          if (typeof v === 'number') offsets.add(v);
          else if (typeof v === 'string') offsets.add(durationMs(v));
        }
        for (const v of ops.in ?? []) if (typeof v === 'number') offsets.add(v);
      }
    }
  };

  for (const id of ids) {
    const rule = rules.segments[id]!;
    when.set(id, rule.when);
    hold.set(id, rule.hold === undefined ? 0 : durationMs(rule.hold));
    offsets.add(hold.get(id)!);
    const refs: string[] = [];
    walk(rule.when as unknown as Node, refs);
    deps.set(id, refs);
  }

  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const d of deps.get(id) ?? []) visit(d);
    order.push(id);
  };
  ids.forEach(visit);

  const fine = new Set<number>();
  for (const d of offsets) {
    if (!Number.isFinite(d)) continue;
    for (const base of [Math.floor(d), Math.ceil(d)]) for (const delta of [-1, 0, 1]) fine.add(base + delta);
  }
  return { ids, order, when, hold, timeout, retainEvents, retainFor, offsets: [...fine], sinceCaps, usesClock };
}
