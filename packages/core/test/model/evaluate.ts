import type { AbandonedCondition, ClusterModel, Condition, Primitive, Props, ScoreModel, Where } from '../../src/types.js';
import { durationMs } from './durationMs.js';
import { exactSum } from './exactSum.js';
import { bucketValue } from './fnv1a.js';
import { localHourWeekday } from './localTime.js';
import { operatorsOf, testValue, type Value } from './testValue.js';

/** One retained event; `seq` is the arrival number that breaks ties of equal `t`. */
export interface LogEvent { type: string; t: number; props: Props; seq: number }

/** Everything a from-scratch evaluation at instant `now` reads. */
export interface EvalInput {
  /** The retained log, sorted by (t, seq), every t <= now. */
  log: readonly LogEvent[];
  now: number;
  timeout: number;
  context: Props;
  traits: Props;
  anonymousId: string;
  timeZone: string;
  /** Membership (including hold) of another segment at `now`. */
  member: (id: string) => boolean;
}

const AGGREGATES = ['count', 'sum', 'min', 'max', 'avg', 'distinct', 'last'] as const;
type Cond = Record<string, unknown>;

/** Whether condition `c` holds at `inp.now`, computed by rescanning the log. */
export function holdsAt(c: Condition, inp: EvalInput): boolean {
  const cond = c as unknown as Cond;
  if ('all' in cond) return (cond.all as Condition[]).every((x) => holdsAt(x, inp));
  if ('any' in cond) return (cond.any as Condition[]).some((x) => holdsAt(x, inp));
  if ('not' in cond) return !holdsAt(cond.not as Condition, inp);
  if ('segment' in cond) return inp.member(cond.segment as string);
  if ('abandoned' in cond) return abandoned(cond as unknown as AbandonedCondition, inp);
  const ops = operatorsOf(cond);
  if ('bucket' in cond) return testValue(ops, bucketValue(cond.bucket as string, inp.anonymousId));
  if ('score' in cond) return testValue(ops, score(cond.score as ScoreModel, inp));
  if ('cluster' in cond) return testValue(ops, cluster(cond.cluster as ClusterModel, inp));
  const durations = 'since' in cond || (('session' in cond) && cond.session === 'duration');
  return testValue(ops, valueOf(cond, inp), durations);
}

/** The value an aggregate, `since`, `session`, `context` or `trait` expression compares. */
export function valueOf(cond: Cond, inp: EvalInput): Value {
  if ('since' in cond) {
    const hits = inp.log.filter((e) => matches(e, cond.since as string, cond.where as Where | undefined));
    const last = hits[hits.length - 1];
    return last === undefined ? Infinity : inp.now - last.t;
  }
  if ('session' in cond) return sessionMetric(cond.session as string, inp);
  if ('context' in cond) return contextValue(cond.context as string, inp);
  if ('trait' in cond) return Object.hasOwn(inp.traits, cond.trait as string) ? inp.traits[cond.trait as string] : null;
  const kind = AGGREGATES.find((k) => k in cond);
  if (kind === undefined) throw new Error(`model: not a value expression ${JSON.stringify(cond)}`);
  const hits = select(cond[kind] as string, cond.where as Where | undefined, cond.within as string | number | undefined, inp);
  if (kind === 'count') return hits.length;
  const of = cond.of as string;
  if (kind === 'last') {
    const last = hits[hits.length - 1];
    return last === undefined ? null : propOf(last, of) ?? null;
  }
  const flat = hits.flatMap((e) => {
    const v = propOf(e, of);
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  });
  // reading: distinct compares with SameValueZero (JavaScript Set): 1, "1" and true are three values.
  if (kind === 'distinct') return new Set(flat.filter((x) => x !== null)).size;
  const nums = flat.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (kind === 'sum') return exactSum(nums);
  if (nums.length === 0) return null;
  // reading: min/max/avg are null when no matching event has a numeric value of `of`, even if
  // events matched ("others ignored" leaves nothing to aggregate).
  if (kind === 'min') return Math.min(...nums);
  if (kind === 'max') return Math.max(...nums);
  return exactSum(nums) / nums.length;
}

function propOf(e: LogEvent, name: string): Primitive | Primitive[] | undefined {
  return Object.hasOwn(e.props, name) ? e.props[name] : undefined;
}

function matches(e: LogEvent, type: string, where: Where | undefined): boolean {
  if (type !== '*' && e.type !== type) return false;
  for (const [name, test] of Object.entries(where ?? {})) if (!testValue(operatorsOf(test), propOf(e, name))) return false;
  return true;
}

/** Events matching T/where inside `within`: a duration window now-W < t <= now, or the latest session. */
function select(type: string, where: Where | undefined, within: string | number | undefined, inp: EvalInput): LogEvent[] {
  let pool: readonly LogEvent[] = inp.log;
  if (within === 'session') pool = sessions(inp).at(-1) ?? [];
  else if (within !== undefined) {
    const w = durationMs(within);
    pool = pool.filter((e) => inp.now - w < e.t && e.t <= inp.now);
  }
  return pool.filter((e) => matches(e, type, where));
}

/** Sessions of the retained log: a new one starts at an event at least `timeout` after the previous event. */
export function sessions(inp: EvalInput): LogEvent[][] {
  // reading: "previous event" is the previous one in (t, arrival) order, and a session is a set of
  // events, so `within: "session"` means "events of the latest session"; with timeout 0 every event
  // is its own session, even among equal t.
  const out: LogEvent[][] = [];
  for (const e of inp.log) {
    const cur = out.at(-1);
    if (cur === undefined || e.t - cur.at(-1)!.t >= inp.timeout) out.push([e]);
    else cur.push(e);
  }
  return out;
}

function sessionMetric(metric: string, inp: EvalInput): number {
  const all = sessions(inp);
  const latest = all.at(-1);
  if (latest === undefined) return 0;
  switch (metric) {
    case 'pageViews': return latest.filter((e) => e.type === 'page_view').length;
    case 'events': return latest.length;
    case 'duration': return latest.at(-1)!.t - latest[0]!.t;
    case 'number': return all.length;
    default: throw new Error(`model: unknown session metric ${metric}`);
  }
}

function contextValue(key: string, inp: EvalInput): Value {
  if (key === 'hour' || key === 'weekday') return localHourWeekday(inp.now, inp.timeZone)[key];
  return Object.hasOwn(inp.context, key) ? inp.context[key] : null;
}

function abandoned(c: AbandonedCondition, inp: EvalInput): boolean {
  const hits = select(c.abandoned, c.where, c.within, inp);
  const a = hits[hits.length - 1];
  if (a === undefined || inp.now - a.t < durationMs(c.after)) return false;
  const unless = typeof c.unless === 'string' ? { event: c.unless, where: undefined } : c.unless;
  // reading: "no event matching unless has t >= A.t" is taken literally: an unless event with the
  // same t as A ends it whatever the arrival order, and A itself counts if it matches `unless`.
  return !inp.log.some((e) => e.t >= a.t && matches(e, unless.event, unless.where));
}

/** A term or feature value as a number (spec 3.2 score). */
function termValue(expr: Cond, cap: number | undefined, inp: EvalInput): number {
  const v = valueOf(expr, inp);
  let n = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : 0;
  if (n === Infinity && cap !== undefined) n = cap;
  return cap === undefined ? n : Math.min(n, cap);
}

function score(m: ScoreModel, inp: EvalInput): number {
  // reading: linear = bias + w1*v1 + w2*v2 + ... added left to right in term order.
  let linear = m.bias ?? 0;
  for (const term of m.terms) linear += term.weight * termValue(term.value as unknown as Cond, term.cap, inp);
  return m.link === 'linear' ? linear : 1 / (1 + Math.exp(-linear));
}

function cluster(m: ClusterModel, inp: EvalInput): string {
  const z = m.features.map((f, i) => (termValue(f.value as unknown as Cond, f.cap, inp) - m.mean[i]!) / m.scale[i]!);
  let best = '';
  let bestD = Infinity;
  for (const [label, c] of Object.entries(m.centroids)) {
    // reading: distances compared as sums of squares in feature order (no sqrt); ties keep the
    // label declared first.
    let d = 0;
    for (let i = 0; i < z.length; i++) d += (z[i]! - c[i]!) ** 2;
    if (d < bestD || best === '') { best = label; bestD = d; }
  }
  return best;
}
