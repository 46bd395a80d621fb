import { checkEventType, checkProps, unreadable } from './checkProps.js';
import { explain } from './explain.js';
import { foldPatches, MAX_CALLS, type Base, type Patch } from './foldPatches.js';
import { localClock } from './localClock.js';
import { Network, type Env } from './Network.js';
import type { Rec } from './Rec.js';
import { SegletError } from './SegletError.js';
import type { Change, Engine, EngineOptions, Props, RuleSet, SegEvent } from './types.js';
import { validateRules } from './validateRules.js';
import { show } from './validateShared.js';

/** The last instant `Date` can represent (ms): later clock readings have no hour or weekday. */
const MAX_TIME = 8.64e15;

/** `list`: the delivery it was registered during (-1: none); that list's changes predate it. */
interface Handler { enter: (c: Change) => void; exit: ((c: Change) => void) | undefined; list: number }

function checked(rules: RuleSet): RuleSet {
  const v = validateRules(rules);
  if (!v.ok) {
    const first = v.errors[0] as { path: string; message: string };
    throw new SegletError('invalid_rules', `invalid rule set: ${first.path && `${first.path}: `}${first.message}${v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : ''}`, { issues: v.errors });
  }
  return v.rules;
}

/** An option `createEngine` cannot use, at its JSON-pointer path. */
function badOption(path: string, message: string): SegletError {
  return new SegletError('invalid_option', `${path}: ${message}`, { issues: [{ path, message }] });
}

// core names no platform types: Web Crypto is used when the runtime has it.
// Read at the call, not at import: a bundler then sees no work at the top level (importing does nothing).
const randomId = (): string => (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * Creates the incremental segment engine. It reads time only through `now`, owns no timers and
 * no storage: a runtime arms one timer at `nextChange()` and calls `tick()`.
 */
export function createEngine(options: EngineOptions): Engine {
  // No options at all is a missing rule set, reported as one (it was a TypeError).
  options ??= {} as EngineOptions;
  const clockNow = options.now ?? Date.now;
  const clock = localClock(options.timeZone);
  for (const [key, type] of [['anonymousId', 'string'], ['userId', 'string'], ['now', 'function'], ['onError', 'function']] as const) {
    const v: unknown = options[key];
    if (v !== undefined && v !== null && typeof v !== type) throw badOption(`/${key}`, `must be a ${type}`);
  }
  const anonymousId = options.anonymousId ?? randomId();
  let userId: string | null = options.userId ?? null;
  const baseContext = checkProps(options.context, 'invalid_value', '/context');
  const baseTraits = checkProps(options.traits, 'invalid_value', '/traits');
  /**
   * Context and trait changes after the base values, kept like the event log but at most 1,000
   * (see foldPatches): a replay applies each at its instant.
   */
  const patches: Patch[] = [];
  const base: Base = { context: baseContext, traits: baseTraits };
  // Copy-on-write arrays: delivery iterates a stable snapshot without copying per change.
  let listeners: ((c: Change) => void)[] = [];
  const handlers = new Map<string, Handler[]>();
  const queue: (() => void)[] = [];
  let delivering = false;
  /** Numbers the change lists delivered, so a handler registered during one skips its rest. */
  let lists = 0;
  let seq = 0;

  const report = (e: SegletError): void => {
    if (options.onError) {
      try { options.onError(e); } catch { /* an error handler that throws has nowhere left to go */ }
    } else queueMicrotask(() => { throw e; });
  };
  // A BigInt or a Symbol is no time either (Math.floor threw a TypeError on them): read as NaN.
  // Anything else is converted as before (a Date gives its ms).
  const read = (): number => {
    const t: unknown = clockNow();
    return Math.floor(typeof t === 'bigint' || typeof t === 'symbol' ? NaN : t as number);
  };
  const created = read();
  // A clock that gives no time at all cannot start an engine (NaN was stored as every event's time).
  // Past Date's range (8.64e15 ms; nanoseconds by mistake) there is no hour or weekday either.
  if (!(Math.abs(created) <= MAX_TIME)) throw badOption('/now', 'must return a time in ms (within the range of Date)');

  /** Replays `records` (time order) and the context history into a fresh network, up to `at`. */
  function build(set: RuleSet, records: Rec[], at: number): Network {
    const env: Env = { anonymousId, clock, context: base.context, traits: base.traits };
    const origin = Math.min(records.length ? (records[0] as Rec).t - 1 : Infinity, created);
    const n = new Network(set, env, origin);
    const sink: Change[] = [];
    let p = 0;
    const applyPatchesUpTo = (t: number, s: number) => {
      for (let x = patches[p]; x && (x.t < t || (x.t === t && x.seq < s)); x = patches[++p]) {
        n.advance(x.t, sink);
        applyPatch(n, x);
        n.evaluate(x.t, sink);
      }
    };
    const spans = n.walkSpans();
    const reach = Math.max(0, ...spans);
    if (!reach) {
      // No hold: the past leaves no trace in membership, so load the data and evaluate once.
      for (const x of patches) applyPatch(n, x);
      for (let i = 0; i < records.length; i++) n.load(records[i] as Rec);
      n.settle(at);
      return n;
    }
    // Only the longest span of a hold (through the segments it reads) is walked event by event;
    // older events are loaded the same way, and each segment joins the walk when its span begins.
    const cut = at - reach - 1;
    let k = 0;
    if (records.length && (records[0] as Rec).t <= cut) {
      for (; k < records.length && (records[k] as Rec).t <= cut; k++) n.load(records[k] as Rec);
      for (; patches[p] && (patches[p] as Patch).t <= cut; p++) applyPatch(n, patches[p] as Patch);
      n.settle(cut);
    }
    n.focusOnHolds(at, spans);
    let last = n.cur;
    let due = -Infinity;
    for (; k < records.length; k++) {
      const r = records[k] as Rec;
      if (r.t >= due) due = n.widen(last, r.t, sink);
      applyPatchesUpTo(r.t, r.seq);
      last = r.t;
      if (n.appendQuiet(r)) continue;
      n.advance(r.t, sink);
      n.insert(r, r.t, sink);
    }
    n.widen(last, Infinity, sink);
    applyPatchesUpTo(Infinity, 0);
    n.advance(at, sink);
    n.unfocus(at, sink);
    return n;
  }

  const applyPatch = (n: Network, x: Patch): void => n.markContext(x.traits, x.values, x.clear);

  const initial: Rec[] = [];
  const given: unknown[] = options.events ?? [];
  if (!Array.isArray(given)) throw badOption('/events', 'must be an array of events');
  for (let i = 0; i < given.length; i++) {
    const e = given[i];
    try {
      if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new SegletError('invalid_event', 'not an event object');
      const { type, props, t } = e as SegEvent;
      initial.push(record(type, props, t, created));
    } catch (err) {
      const e = err as SegletError;
      // Each issue points into `events` (a non-object entry has no issue of its own: the entry is one).
      report(new SegletError('invalid_event', `/events/${i}: ${e.message.replace(/^seglet: /, '')}`, {
        issues: (e.issues ?? [{ path: '', message: 'not an event object' }]).map((x) => ({ ...x, path: `/events/${i}${x.path}` })), cause: e,
      }));
    }
  }
  initial.sort((a, b) => a.t - b.t || a.seq - b.seq);
  let net = build(checked(options.rules), initial, created);

  function record(type: unknown, props: unknown, t: unknown, now: number): Rec {
    checkEventType(type);
    const p = checkProps(props, 'invalid_event');
    if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t))) {
      throw new SegletError('invalid_event', `/t: ${show(t)} is not a time in ms`, { issues: [{ path: '/t', message: 'not a time in ms' }] });
    }
    const at = t === undefined ? now : Math.floor(t);
    return { type, t: at > now ? now : at, seq: ++seq, props: p };
  }

  // A clock that goes back, or later gives no time (NaN, Infinity, past Date's range), stands still.
  const now = (): number => {
    const t = read();
    return t > net.cur && t <= MAX_TIME ? t : net.cur;
  };

  function safely(fn: (c: Change) => void, c: Change): void {
    try {
      fn(c);
    } catch (cause) {
      let text = 'a value without text';
      // An object without a prototype, or a message getter that throws, cannot be made text: the
      // conversion threw out of delivery and the other callbacks never ran.
      try { text = String((cause as Error)?.message ?? cause); } catch { /* the fallback stands */ }
      report(new SegletError('callback_failed', `a callback for "${c.segment}" threw: ${text}`, { cause }));
    }
  }

  function deliver(changes: Change[]): void {
    if (!changes.length || (!listeners.length && !handlers.size)) return void queue.shift()?.();
    delivering = true;
    const list = ++lists;
    try {
      for (const c of changes) {
        for (const l of listeners) safely(l, c);
        for (const h of handlers.get(c.segment) ?? []) {
          // Registered by a callback of this list: the state it saw already held these changes
          // (on() called its enter at once if that applied), so they are not news to it.
          if (h.list === list) continue;
          const fn = c.member ? h.enter : h.exit;
          if (fn) safely(fn, c);
        }
      }
    } finally {
      delivering = false;
    }
    queue.shift()?.();
  }

  /**
   * Runs a state-changing call: catch up to now, apply, deliver; deferred when re-entrant. The
   * effect's argument comes separately so that `track`, the hot call, creates no closure.
   */
  function run<A>(effect: (n: number, out: Change[], a: A) => void, a?: A): Change[] {
    if (delivering) {
      queue.push(() => { run(effect, a); });
      return [];
    }
    const n = now();
    const out: Change[] = [];
    net.advance(n, out);
    effect(n, out, a as A);
    deliver(out);
    return out;
  }

  const insert = (n: number, out: Change[], r: Rec): void => {
    if (r.t > n) r.t = n;
    net.insert(r, n, out);
  };

  const patch = (n: number, out: Change[], x: Patch): void => {
    x.t = n;
    x.seq = ++seq;
    patches.push(x);
    // What the rules in force no longer retain (at most the newest 1,000 calls) folds into the
    // base, an eighth of that at a time, so a call stays O(1) amortized and memory bounded.
    foldPatches(patches, base, n, net, Math.min(net.maxEvents, MAX_CALLS) >> 3);
    applyPatch(net, x);
    net.evaluate(n, out);
  };

  const contextCall = (traits: boolean, values: Props, clear: boolean): Change[] => run(patch, { t: 0, seq: 0, traits, clear, values });

  const segment = (id: string) => {
    const s = net.segs.find((x) => x.id === id);
    // String(): a Symbol in a template literal threw a TypeError instead.
    if (!s) throw new SegletError('unknown_segment', `unknown segment "${String(id)}"`);
    return s;
  };

  return {
    anonymousId,
    get userId() { return userId; },
    track(type, props, opts) {
      let t: unknown;
      try {
        t = opts?.t;
      } catch (cause) {
        throw unreadable('invalid_event', '/t', cause);
      }
      return run(insert, record(type, props, t, Infinity));
    },
    tick: () => run(() => {}),
    nextChange: () => net.nextChange(),
    has: (id) => net.segs.some((s) => s.id === id && s.isMember),
    members: () => {
      // One pass and one array: the browser runtime reads this on every change of membership.
      const ids: string[] = [];
      for (const s of net.segs) if (s.isMember) ids.push(s.id);
      return ids;
    },
    on(id, enter, exit) {
      const s = segment(id);
      // Checked now: a handler that is not a function failed only on the next change, as callback_failed.
      if (typeof enter !== 'function' || (exit !== undefined && typeof exit !== 'function')) throw new SegletError('invalid_option', 'on() needs an enter function (and an optional exit one)');
      const h: Handler = { enter, exit, list: delivering ? lists : -1 };
      handlers.set(id, [...(handlers.get(id) ?? []), h]);
      if (s.isMember) {
        // The immediate enter is a callback too: calls made from it are deferred like any other.
        const outer = delivering;
        delivering = true;
        try { safely(enter, { segment: id, member: true, t: now() }); } finally { delivering = outer; }
        if (!outer) queue.shift()?.();
      }
      return () => { handlers.set(id, (handlers.get(id) as Handler[]).filter((x) => x !== h)); };
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new SegletError('invalid_option', 'subscribe() needs a function');
      // A wrapper of its own: unsubscribing removes this registration, not every one of the function.
      // Subscribed by a callback, it skips the rest of the list being delivered, as on() does: the
      // state it subscribed to already holds those changes.
      const skip = delivering ? lists : -1;
      const own = (c: Change): void => { if (lists !== skip) listener(c); };
      listeners = [...listeners, own];
      return () => { listeners = listeners.filter((l) => l !== own); };
    },
    explain: (id) => explain(net, segment(id)),
    setRules(next) {
      const valid = checked(next);
      return run((n, out) => {
        // The replay sees what the outgoing rules retain now, however earlier calls folded.
        foldPatches(patches, base, n, net, 0);
        const old = net;
        net = build(valid, old.records(), n);
        const was = new Map(old.segs.map((s) => [s.id, s.isMember]));
        for (const s of old.segs) if (s.isMember && !net.segs.some((x) => x.id === s.id)) out.push({ segment: s.id, member: false, t: n });
        const diff = net.segs.filter((s) => s.isMember !== (was.get(s.id) ?? false));
        for (const s of diff) if (!s.isMember) out.push({ segment: s.id, member: false, t: n });
        for (const s of diff) if (s.isMember) out.push({ segment: s.id, member: true, t: n });
      });
    },
    identify(id, traits) {
      if (id !== null && typeof id !== 'string') throw new SegletError('invalid_value', '/userId: must be a string or null');
      const values = checkProps(traits, 'invalid_value', '/traits');
      userId = id;
      return contextCall(true, values, id === null);
    },
    setContext: (context) => contextCall(false, checkProps(context, 'invalid_value', '/context'), false),
    // Array values are copied too: the caller may mutate what it gets, and the log must not change.
    // checkProps copies arrays too (so nothing handed out can rewrite history); stored props pass it.
    events: (): readonly SegEvent[] => net.records().map((r) => ({ type: r.type, t: r.t, props: checkProps(r.props, 'invalid_event') })),
  };
}
