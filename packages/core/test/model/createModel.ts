import type { Change, Props, RuleSet, SegEvent } from '../../src/types.js';
import { compileRules, type Compiled } from './compileRules.js';
import { holdsAt, valueOf, type LogEvent } from './evaluate.js';
import { QUARTER_HOUR } from './localTime.js';

/** Options of the model: the engine's, minus callbacks. */
export interface ModelOptions {
  rules: RuleSet;
  now: () => number;
  timeZone: string;
  anonymousId: string;
  userId?: string;
  traits?: Props;
  context?: Props;
  events?: SegEvent[];
  /** Longest gap processed millisecond by millisecond (default 50); longer ones use candidate instants. */
  stepLimit?: number;
}

/** The naive reference evaluator: same surface as the engine for what the property test uses. */
export interface Model {
  track(type: string, props?: Props, options?: { t?: number }): Change[];
  tick(): Change[];
  setRules(rules: RuleSet): Change[];
  identify(userId: string | null, traits?: Props): Change[];
  setContext(context: Props): Change[];
  members(): string[];
  /** Segment ids of the current rules, in declaration order. */
  ids(): string[];
  /** What `explain(id)` must say about membership: the condition's truth and a running hold's end. */
  explainState(id: string): { member: boolean; holds: boolean; holdUntil: number | null };
  has(id: string): boolean;
  events(): SegEvent[];
  /** Every sub-condition of `id`'s rule, from scratch at the last processed instant: JSON pointer, verdict, value. */
  explainNodes(id: string): { path: string; verdict: boolean; value?: unknown }[];
  /** The user id set by the options or `identify`. */
  userId(): string | null;
  /** The last processed instant. */
  lastInstant(): number;
  /**
   * First instant after the last processed one at which a `tick()` would report a change, or null;
   * with `limit`, null also when that instant is later than `limit`.
   */
  nextRealChange(limit?: number): number | null;
  /** Same, found by evaluating every millisecond up to `limit` (to check the candidate search). */
  nextRealChangeByStepping(limit: number): number | null;
}

interface SegState { cond: boolean; member: boolean; holdUntil: number }
interface Values { context: Props; traits: Props }
/** `values` are the context and traits the evaluation uses (in a replay, those of the replayed instant). */
interface State { rules: Compiled; log: LogEvent[]; seg: Map<string, SegState>; at: number; values: Values }

/**
 * Gaps up to this many ms are processed millisecond by millisecond; longer ones only at candidate
 * instants (test/model/candidates.test.ts checks that the candidates miss no change).
 */
const STEP_LIMIT = 50;

const WEEK = 7 * 86_400_000;

/** Creates the model. Every membership is recomputed from scratch at every instant it looks at. */
export function createModel(options: ModelOptions): Model {
  const now = (): number => Math.floor(options.now());
  const creation = now();
  let seq = 0;
  let context: Props = { ...options.context };
  let traits: Props = { ...options.traits };
  /**
   * Context and traits over time, for replays: the initial ones apply from the origin, later ones
   * from the instant they were set (spec 4, "The past"), as long as the rules retain them.
   */
  let initialValues: Values = { context, traits };
  const timeline: { at: number; seq: number; values: Values }[] = [];
  let userId = options.userId ?? null;
  const anonymousId = options.anonymousId;
  const timeZone = options.timeZone;

  /** Evaluates every segment at τ on the current log; returns the changes (exits, then enters). */
  const evaluateAt = (s: State, tau: number): Change[] => {
    const before = new Map([...s.seg].map(([id, x]) => [id, x.member]));
    for (const id of s.rules.order) {
      const st = s.seg.get(id)!;
      const cond = holdsAt(s.rules.when.get(id)!, {
        log: s.log, now: tau, timeout: s.rules.timeout, ...s.values, anonymousId, timeZone,
        member: (ref) => s.seg.get(ref)!.member,
      });
      // hold: the condition turned false at τ, so the exit is due at exactly τ + hold.
      // reading: when a call's own effect (an event, a trait) makes the condition false, x is the
      // call's instant, even if the condition was true earlier in that same instant.
      if (st.cond && !cond) st.holdUntil = tau + s.rules.hold.get(id)!;
      st.cond = cond;
      st.member = cond || tau < st.holdUntil;
    }
    const exits = s.rules.ids.filter((id) => before.get(id) && !s.seg.get(id)!.member);
    const enters = s.rules.ids.filter((id) => !before.get(id) && s.seg.get(id)!.member);
    return [...exits.map((segment) => ({ segment, member: false, t: tau })), ...enters.map((segment) => ({ segment, member: true, t: tau }))];
  };

  /** Retention by age: dropped when τ - t >= retain.for. */
  const dropOld = (s: State, tau: number): void => {
    s.log = s.log.filter((e) => tau - e.t < s.rules.retainFor);
  };

  /** Smallest instant > after at which some condition or hold could change because time passed. */
  const nextCandidate = (s: State, after: number): number => {
    let best = Infinity;
    const consider = (c: number): void => { if (c > after && c < best) best = c; };
    for (const e of s.log) {
      for (const d of s.rules.offsets) consider(e.t + d);
      for (const cap of s.rules.sinceCaps) if (after + 1 <= e.t + Math.ceil(cap) + 1) consider(after + 1);
    }
    for (const st of s.seg.values()) consider(st.holdUntil);
    if (s.rules.usesClock) consider((Math.floor(after / QUARTER_HOUR) + 1) * QUARTER_HOUR);
    return best;
  };

  /** Performs every time-driven change due in (s.at, n], in time order. */
  const advance = (s: State, n: number): Change[] => {
    const changes: Change[] = [];
    if (n <= s.at) return changes;
    if (n - s.at <= (options.stepLimit ?? STEP_LIMIT)) {
      for (let tau = s.at + 1; tau <= n; tau++) {
        dropOld(s, tau);
        changes.push(...evaluateAt(s, tau));
      }
    } else {
      for (let tau = Math.min(nextCandidate(s, s.at), n); ; tau = Math.min(nextCandidate(s, tau), n)) {
        dropOld(s, tau);
        changes.push(...evaluateAt(s, tau));
        if (tau === n) break;
      }
    }
    s.at = n;
    return changes;
  };

  /**
   * Adds one event (already placed at its t) and applies both retention limits at instant n.
   * reading: a late event that is not among the newest retain.events (or is older than retain.for)
   * is dropped at once and never counts.
   */
  const insert = (s: State, e: LogEvent, n: number): void => {
    s.log.push(e);
    s.log.sort((a, b) => a.t - b.t || a.seq - b.seq);
    dropOld(s, n);
    if (s.log.length > s.rules.retainEvents) s.log = s.log.slice(s.log.length - s.rules.retainEvents);
  };

  /**
   * Replays `log` (retained, sorted) from the origin to n under `rules`: every event is processed
   * at its t like a track() call, with every time-driven change in between.
   */
  const replay = (rules: Compiled, log: readonly LogEvent[], n: number): State => {
    // reading: a replay (events option, setRules) re-runs the inputs as they would have been
    // processed live: retained events at their t and every setContext/identify at its instant, in
    // time order and, at equal instants, in arrival order, each followed by an evaluation; the initial
    // context and traits apply from the origin; hour/weekday follow the replayed clock.
    const origin = Math.min(creation, log.length > 0 ? log[0]!.t - 1 : creation);
    const s: State = {
      rules, log: [], at: origin, values: initialValues,
      seg: new Map(rules.ids.map((id) => [id, { cond: false, member: false, holdUntil: -Infinity }])),
    };
    evaluateAt(s, origin);
    const inputs = [
      ...log.map((e) => ({ t: e.t, seq: e.seq, apply: () => insert(s, e, e.t) })),
      ...timeline.map((x) => ({ t: x.at, seq: x.seq, apply: () => { s.values = x.values; } })),
    ].sort((a, b) => a.t - b.t || a.seq - b.seq);
    for (const input of inputs) {
      advance(s, input.t);
      input.apply();
      evaluateAt(s, input.t);
    }
    advance(s, n);
    return s;
  };

  const initialRules = compileRules(options.rules);
  const initialLog: LogEvent[] = [];
  for (const e of options.events ?? []) {
    // reading: the events option is replayed as if each event had been tracked live at its t, from
    // the origin (1 ms before the oldest given event): both retention limits apply as the replay
    // goes, so an event already too old at creation still has its effect, then its drop, on the way.
    const t = Math.min(e.t === undefined ? creation : Math.floor(e.t), creation);
    initialLog.push({ type: e.type, t, props: { ...e.props }, seq: seq++ });
  }
  initialLog.sort((a, b) => a.t - b.t || a.seq - b.seq);
  let state = replay(initialRules, initialLog, creation);

  /** Every public call: catch up to now(), apply the effect, evaluate again at now(). */
  const call = (effect: (n: number) => void): Change[] => {
    // reading: a clock that goes backwards is treated as standing still.
    const n = Math.max(now(), state.at);
    const changes = advance(state, n);
    effect(n);
    changes.push(...evaluateAt(state, n));
    return changes;
  };

  const merge = (target: Props, patch: Props): Props => {
    const out: Props = {};
    for (const [k, v] of Object.entries({ ...target, ...patch })) if (v !== null) out[k] = Array.isArray(v) ? [...v] : v;
    return out;
  };

  const cloneState = (s: State): State => ({
    rules: s.rules, log: [...s.log], at: s.at, values: s.values, seg: new Map([...s.seg].map(([id, x]) => [id, { ...x }])),
  });

  return {
    track(type, props, opts) {
      return call((n) => {
        const t = Math.min(opts?.t === undefined ? n : Math.floor(opts.t), n);
        insert(state, { type, t, props: structuredClone(props ?? {}), seq: seq++ }, n);
      });
    },
    tick: () => call(() => undefined),
    setContext: (patch) => call((n) => {
      context = merge(context, patch);
      state.values = { context, traits };
      timeline.push({ at: n, seq: seq++, values: state.values });
    }),
    identify: (id, patch) => call((n) => {
      if (id === null) { userId = null; traits = {}; } else userId = id;
      traits = merge(traits, patch ?? {});
      state.values = { context, traits };
      timeline.push({ at: n, seq: seq++, values: state.values });
    }),
    setRules(rules) {
      const n = Math.max(now(), state.at);
      const changes = advance(state, n);
      const old = state;
      // reading: context history is retained like the log (docs/rules.md). At a rule change, the
      // setContext/identify calls the outgoing rules no longer retain (n - at >= retain.for, or
      // beyond the newest retain.events calls, and never more than 1,000) count from the origin:
      // the values after the newest of them become the initial ones.
      while (timeline.length > 0 && (n - timeline[0]!.at >= old.rules.retainFor || timeline.length > Math.min(old.rules.retainEvents, 1000))) {
        initialValues = timeline.shift()!.values;
      }
      const next = replay(compileRules(rules), old.log, n);
      const wasMember = (id: string): boolean => old.seg.get(id)?.member ?? false;
      for (const id of old.rules.ids) if (!next.seg.has(id) && wasMember(id)) changes.push({ segment: id, member: false, t: n });
      for (const id of next.rules.ids) if (wasMember(id) && !next.seg.get(id)!.member) changes.push({ segment: id, member: false, t: n });
      for (const id of next.rules.ids) if (!wasMember(id) && next.seg.get(id)!.member) changes.push({ segment: id, member: true, t: n });
      state = next;
      return changes;
    },
    members: () => state.rules.ids.filter((id) => state.seg.get(id)!.member),
    has: (id) => state.seg.get(id)?.member ?? false,
    ids: () => [...state.rules.ids],
    explainState(id) {
      const st = state.seg.get(id)!;
      return { member: st.member, holds: st.cond, holdUntil: st.member && !st.cond ? st.holdUntil : null };
    },
    explainNodes(id) {
      const s = state;
      const inp = { log: s.log, now: s.at, timeout: s.rules.timeout, ...s.values, anonymousId, timeZone, member: (ref: string) => s.seg.get(ref)!.member };
      const out: { path: string; verdict: boolean; value?: unknown }[] = [];
      const VALUED = ['count', 'sum', 'min', 'max', 'avg', 'distinct', 'last', 'since', 'session', 'context', 'trait'];
      const walk = (c: Record<string, unknown>, path: string): void => {
        const node: { path: string; verdict: boolean; value?: unknown } = { path, verdict: holdsAt(c as never, inp) };
        if (VALUED.some((k) => k in c) && !('abandoned' in c)) node.value = valueOf(c, inp) ?? null;
        out.push(node);
        if ('all' in c) (c.all as Record<string, unknown>[]).forEach((x, i) => walk(x, `${path}/all/${i}`));
        else if ('any' in c) (c.any as Record<string, unknown>[]).forEach((x, i) => walk(x, `${path}/any/${i}`));
        else if ('not' in c) walk(c.not as Record<string, unknown>, `${path}/not`);
      };
      walk(s.rules.when.get(id) as unknown as Record<string, unknown>, `/segments/${id}/when`);
      return out;
    },
    events: () => state.log.map((e) => ({ type: e.type, t: e.t, props: structuredClone(e.props) })),
    userId: () => userId,
    lastInstant: () => state.at,
    nextRealChange(limit) {
      const s = cloneState(state);
      const r = s.rules;
      const sum = r.offsets.reduce((a, b) => a + Math.max(b, 0), 0) + r.sinceCaps.reduce((a, b) => a + Math.max(b, 0), 0) + [...r.hold.values()].reduce((a, b) => a + b, 0) * 2;
      const horizon = Math.min(limit ?? Infinity, s.at + sum + 2 + (r.usesClock ? WEEK + QUARTER_HOUR : 0));
      for (let tau = nextCandidate(s, s.at); tau <= horizon; tau = nextCandidate(s, tau)) {
        dropOld(s, tau);
        if (evaluateAt(s, tau).length > 0) return tau;
      }
      return null;
    },
    nextRealChangeByStepping(limit) {
      const s = cloneState(state);
      for (let tau = s.at + 1; tau <= limit; tau++) {
        dropOld(s, tau);
        if (evaluateAt(s, tau).length > 0) return tau;
      }
      return null;
    },
  };
}
