import type { Alpha } from './Alpha.js';
import { Builder } from './Builder.js';
import { compileNode } from './compileNode.js';
import { evalProg, type NodeEnv } from './evalProg.js';
import { bucketOf } from './fnv1a.js';
import type { Leaf } from './leaves/Leaf.js';
import { WindowLeaf } from './leaves/WindowLeaf.js';
import { fromClock, type LocalTime } from './localClock.js';
import type { Node } from './Node.js';
import { parseDuration } from './parseDuration.js';
import { before, insertionIndex, type Rec } from './Rec.js';
import { Sessions } from './Sessions.js';
import type { Timed } from './Timed.js';
import { TimedHeap } from './TimedHeap.js';
import type { Change, Props, RuleSet } from './types.js';

/** Per-segment state: its condition, its verdict, and its hold. */
export interface Seg {
  id: string;
  index: number;
  root: Node;
  /** The compiled condition. */
  p: [number, number];
  holdMs: number;
  cond: boolean;
  isMember: boolean;
  falseSince: number | null;
  refs: number[];
  models: Leaf[];
  timer: Timed;
}

/** Where a network reads the outside world from. */
export interface Env {
  anonymousId: string;
  clock: (t: number) => LocalTime;
  /** The values at the origin (read as slots are made); later changes come through markContext. */
  context: Props;
  traits: Props;
}

const DAY = 86_400_000;

/**
 * Sorts `a[from..to)` in place. Few segments are dirty at once, and the list is kept for reuse: an
 * insertion sort allocates nothing; a long list (a context change) goes to the built-in sort. A
 * sorted list, the usual case, is only checked.
 */
function sortSlots(a: number[], from: number, to: number, cmp: (x: number, y: number) => number): void {
  let i = from + 1;
  while (i < to && cmp(a[i - 1] as number, a[i] as number) < 0) i++;
  if (i >= to) return;
  if (to - from > 16) {
    const part = a.slice(from, to).sort(cmp);
    for (let k = 0; k < part.length; k++) a[from + k] = part[k] as number;
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const x = a[i] as number;
    let k = i;
    for (; k > from && cmp(a[k - 1] as number, x) > 0; k--) a[k] = a[k - 1] as number;
    a[k] = x;
  }
}

interface Slot { slot: number; segs: number[] }

/**
 * One compiled rule set with its retained log and all incremental state. It never reads a
 * clock: every method takes the instant it runs at, and time-driven changes happen in
 * `advance`, instant by instant, in time order.
 */
export class Network {
  readonly log: Rec[] = [];
  head = 0;
  cur: number;
  readonly segs: Seg[];
  readonly order: number[];
  private readonly heap = new TimedHeap();
  private readonly byType = new Map<string, Alpha[]>();
  private readonly wild: Alpha[] = [];
  private readonly sessions: Sessions;
  private readonly b: Builder;
  /** `retain.events` and `retain.for` (ms). */
  readonly maxEvents: number;
  readonly maxAge: number;
  private readonly retention: Timed;
  private readonly hourly: Timed;
  /** Segments to re-evaluate: the first `nDirty` slots, kept for reuse as `touched` is. */
  private readonly dirty: number[] = [];
  private nDirty = 0;
  /** The dirty list is in evaluation order: marked all at once into an empty list (no sort check). */
  private inOrder = false;
  /** During a replay: the segments (by index) kept current event by event; null: all. */
  private inFocus: boolean[] | null = null;
  /** Whether a replay of `load`s is under way (its leaves paused). */
  private loading = false;
  /** Whether a session leaf is kept current (then every event counts). */
  private liveSessions = true;
  /** During a walk with holds: the instant each segment joins it (Infinity: never). */
  private starts: number[] = [];
  private readonly isDirty: boolean[];
  /**
   * Leaves touched since the last pass, and items due at one instant: each the first `n*` slots of
   * an array kept for reuse (emptying an array by its length frees its storage, so every pass
   * would allocate it again).
   */
  private readonly touched: Leaf[] = [];
  private nTouched = 0;
  private readonly due: Timed[] = [];
  private readonly enters: Seg[] = [];
  private readonly byPos = (x: number, y: number): number => (this.pos[x] as number) - (this.pos[y] as number);
  private readonly pos: number[];
  /** Whether dependency order is rule-set order (no segment refers to a later one). */
  private readonly natural: boolean;
  /**
   * Each context or trait value conditions read: its slot in `vals`, which holds the value they
   * last saw, and the segments to re-evaluate when it changes.
   */
  private readonly slots = { context: new Map<string, Slot>(), trait: new Map<string, Slot>() };
  private readonly vals: unknown[] = [];
  /** The segments reading any context (any trait) value, in evaluation order. */
  private readonly readers = { context: [] as number[], trait: [] as number[] };
  private readonly changed: Slot[] = [];
  private readonly nodeEnv: NodeEnv;

  constructor(rules: RuleSet, readonly env: Env, origin: number) {
    this.cur = origin;
    this.sessions = new Sessions(parseDuration(rules.session?.timeout ?? '30m') as number);
    this.maxEvents = rules.retain?.events ?? 10_000;
    this.maxAge = parseDuration(rules.retain?.for ?? '90d') ?? 90 * DAY;
    const ids = Object.keys(rules.segments);
    const index = new Map(ids.map((id, i) => [id, i]));
    const attr = (kind: 'context' | 'trait', key: string, now: number): unknown => this.attr(kind, key, now);
    const nodeEnv: NodeEnv = this.nodeEnv = {
      memberOf: (i) => (this.segs[i] as Seg).isMember, attr,
      slot: (kind, key) => this.slotOf(kind, key).slot,
      vals: this.vals, progCode: { op: [], x: [], a: [], fn: [], j: [] },
    };
    const b = (this.b = new Builder(this.sessions, index, (salt) => bucketOf(salt, env.anonymousId), attr));
    this.segs = ids.map((id, i) => {
      const rule = rules.segments[id] as RuleSet['segments'][string];
      b.seg = i;
      const root = b.node(rule.when as unknown as Record<string, unknown>, `/segments/${id.replace(/~/g, '~0')}/when`);
      const seg: Seg = {
        id, index: i, root, p: compileNode(root, nodeEnv), holdMs: parseDuration(rule.hold ?? 0) as number, cond: false, isMember: false,
        falseSince: null, refs: [], models: [], timer: { hi: -1, at: Infinity, fire: () => this.mark(i) },
      };
      return seg;
    });
    this.segs.forEach((s, i) => { s.refs = b.refs[i] ?? []; s.models = b.models[i] ?? []; });
    this.order = this.topo();
    this.pos = [];
    this.order.forEach((segIndex, p) => { this.pos[segIndex] = p; });
    this.natural = this.order.every((segIndex, p) => segIndex === p);
    this.isDirty = this.segs.map(() => false);
    for (const kind of ['context', 'trait'] as const) {
      for (const [k, segs] of b.uses[kind]) this.slotOf(kind, k).segs = [...segs];
      const reading = new Set([...b.uses[kind].values()].flatMap((segs) => [...segs]));
      this.readers[kind] = this.order.filter((i) => reading.has(i));
    }
    for (const a of b.alphas.values()) if (a.type === '*') this.wild.push(a);
    // Each type's list already holds the wildcard alphas, so an event walks one array.
    for (const a of b.alphas.values()) if (a.type !== '*') this.byType.set(a.type, [...(this.byType.get(a.type) ?? this.wild), a]);
    for (const leaf of b.leaves) leaf.touch = (l) => this.touch(l);
    this.retention = { hi: -1, at: Infinity, fire: (now) => this.dropOld(now) };
    this.hourly = { hi: -1, at: Infinity, fire: (now) => { for (const s of b.clockSegs) this.mark(s); this.armClock(now); } };
    this.armClock(origin);
    // The state at the origin: nothing has happened yet, so it is not reported as a change.
    for (const leaf of b.leaves) if (leaf.verdictOf) leaf.isTrue = leaf.verdictOf(leaf.value(origin));
    for (let i = 0; i < this.segs.length; i++) this.mark(i);
    this.evaluate(origin, []);
  }

  /** Referenced segments before the segments that refer to them. */
  private topo(): number[] {
    const out: number[] = [];
    const seen = this.segs.map(() => false);
    const visit = (i: number) => {
      if (seen[i]) return;
      seen[i] = true;
      const deps: number[] = [];
      this.segs.forEach((s, j) => { if (s.refs.includes(i)) deps.push(j); });
      for (const d of deps) visit(d);
      out.push(i);
    };
    this.segs.forEach((_, i) => visit(i));
    return out;
  }

  private armClock(now: number): void {
    if (this.b.clockSegs.size) this.heap.set(this.hourly, this.env.clock(now).next);
  }

  /** A context or trait value as conditions see it: hour and weekday come from the clock. */
  attr(kind: 'context' | 'trait', key: string, now: number): unknown {
    if (fromClock(kind, key)) {
      const lt = this.env.clock(now);
      return key === 'hour' ? lt.hour : lt.weekday;
    }
    // Every value a condition or model reads has a slot, kept current by markContext.
    const u = this.slots[kind].get(key);
    return u ? this.vals[u.slot] : null;
  }

  mark(i: number): void {
    if (this.isDirty[i] || (this.inFocus && !this.inFocus[i])) return;
    this.isDirty[i] = true;
    this.dirty[this.nDirty++] = i;
    this.inOrder = false;
  }

  /** A leaf changed: its segments are re-evaluated when its verdict flips (checked in evaluate). */
  private touch(leaf: Leaf): void {
    if (leaf.off) return;
    this.pend(leaf);
    if (!leaf.verdictOf) for (let i = 0; i < leaf.segs.length; i++) this.mark(leaf.segs[i] as number);
  }

  private pend(leaf: Leaf): void {
    if (leaf.queued) return;
    leaf.queued = true;
    this.touched[this.nTouched++] = leaf;
  }

  /**
   * Context (or traits) changed: `values` merged in (a null removes a key), or replacing them all
   * with `clear`. Keeps the slots current and marks the segments whose input changed.
   */
  markContext(traits: boolean, values: Props, clear: boolean): void {
    const kind = traits ? 'trait' : 'context';
    const slots = this.slots[kind];
    const changed = this.changed;
    let n = 0;
    let marks = 0;
    // Keys and values as two built-in lists: a keyed read per key cost more than the rest.
    const keys = clear ? [...slots.keys()] : Object.keys(values);
    const read = clear ? null : Object.values(values);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const u = slots.get(k);
      if (!u) continue;
      const v = read ? read[i] : Object.hasOwn(values, k) ? values[k] : null;
      if (v === this.vals[u.slot]) continue;
      this.vals[u.slot] = v;
      changed[n++] = u;
      marks += u.segs.length;
    }
    // When the changed values' readers add up to all readers of the kind or more (most read
    // several values), marking all of them once, in evaluation order, costs less.
    const all = this.readers[kind];
    if (n > 1 && marks >= all.length) {
      const fresh = this.nDirty === 0;
      for (let i = 0; i < all.length; i++) this.mark(all[i] as number);
      this.inOrder = fresh;
    } else for (let j = 0; j < n; j++) for (const s of (changed[j] as Slot).segs) this.mark(s);
  }

  private slotOf(kind: 'context' | 'trait', key: string): Slot {
    let u = this.slots[kind].get(key);
    if (!u) {
      const values = kind === 'trait' ? this.env.traits : this.env.context;
      this.slots[kind].set(key, (u = { slot: this.vals.push(Object.hasOwn(values, key) ? values[key] : null) - 1, segs: [] }));
    }
    return u;
  }

  /** The instant of the next time-driven change, if any. */
  nextChange(): number | null {
    const at = this.heap.top();
    return at === Infinity ? null : at;
  }

  /** Performs every time-driven change due at or before `to`, each at its own instant. */
  advance(to: number, out: Change[]): void {
    const due = this.due;
    for (let d = this.heap.top(); d <= to; d = this.heap.top()) {
      this.cur = d;
      let n = 0;
      while (this.heap.top() === d) {
        const item = this.heap.peek() as Timed;
        this.heap.set(item, Infinity);
        due[n++] = item;
      }
      for (let j = 0; j < n; j++) (due[j] as Timed).fire(d);
      this.evaluate(d, out);
    }
    if (to > this.cur) this.cur = to;
  }

  private alphasOf(type: string): Alpha[] {
    return this.byType.get(type) ?? this.wild;
  }

  /** Adds an event to the log at `now` (after `advance(now)`), as if it had arrived in order. */
  insert(r: Rec, now: number, out: Change[]): void {
    const last = this.log[this.log.length - 1];
    if (!last || !before(r, last) || this.log.length === this.head) {
      this.append(r);
    } else {
      // Late: place it by time and rebuild what it touches, so the result equals in-order arrival.
      this.log.splice(insertionIndex(this.log, r, this.head), 0, r);
      for (const a of this.alphasOf(r.type)) {
        if (!a.matches(r)) continue;
        a.place(r);
        for (const leaf of a.leaves) { leaf.reset(now); this.touch(leaf); }
      }
      this.sessions.rebuild(this.log, this.head);
      for (const leaf of this.b.sessionLeaves) { leaf.reset(now); this.touch(leaf); }
    }
    while (this.log.length - this.head > this.maxEvents) this.dropFront();
    this.dropOld(now);
    this.evaluate(now, out);
  }

  private append(r: Rec): void {
    const last = this.log[this.log.length - 1];
    this.log.push(r);
    const fresh = this.sessions.onAppend(r, this.log.length - 1 > this.head ? last : undefined);
    // Indexed loops on the replay path: a for-of allocates an iterator result per step until the
    // code is optimized, which a cold start (10,000 events, once) mostly is not.
    const alphas = this.alphasOf(r.type);
    for (let i = 0; i < alphas.length; i++) {
      const a = alphas[i] as Alpha;
      if (!a.matches(r)) continue;
      const idx = a.push(r);
      for (let j = 0; j < a.leaves.length; j++) {
        const leaf = a.leaves[j] as Leaf;
        if (!leaf.off) { leaf.onAppend(idx); this.touch(leaf); }
      }
    }
    const sessionLeaves = this.b.sessionLeaves;
    for (let i = 0; i < sessionLeaves.length; i++) {
      const leaf = sessionLeaves[i] as Leaf;
      if (fresh || !(leaf instanceof WindowLeaf)) this.touch(leaf);
    }
  }

  /**
   * Loads an event of a replay (time order) without evaluating: with no `hold` in the rule set,
   * membership at the end depends only on the data, so the way there need not be walked. Leaves
   * sit it out too: `settle` rebuilds each once, from the events inside its window.
   */
  load(r: Rec): void {
    if (!this.loading) {
      this.loading = true;
      this.pause(() => true);
    }
    this.cur = r.t;
    this.append(r);
    while (this.log.length - this.head > this.maxEvents) this.dropFront();
  }

  /**
   * How long before the end of a replay each segment must be walked event by event (0: not at
   * all). A held segment's membership at the end depends on its condition over its hold; a
   * segment a held one reads must be exact over that span too, plus its own hold. The longest
   * span is where the walk starts.
   */
  walkSpans(): number[] {
    const needed = this.segs.map(() => 0);
    // Readers come after what they read in dependency order: walking it backwards, each segment
    // meets all its readers first.
    for (let k = this.order.length - 1; k >= 0; k--) {
      const j = this.order[k] as number;
      for (const i of (this.segs[j] as Seg).refs) needed[j] = Math.max(needed[j] as number, (needed[i] as number) + (this.segs[i] as Seg).holdMs);
    }
    return needed.map((d, j) => d + (this.segs[j] as Seg).holdMs);
  }

  /**
   * Starts a walk with holds ending at `at`: nothing is kept current (nor is the hour struck)
   * until `widen` brings in each segment when its span begins; the rest are brought up to date
   * once, by `unfocus`. `spans` are `walkSpans()`, which the caller has at hand.
   */
  focusOnHolds(at: number, spans = this.walkSpans()): void {
    this.starts = spans.map((span) => (span > 0 ? at - span : Infinity));
    this.inFocus = this.segs.map(() => false);
    this.pause(() => true);
    this.heap.set(this.hourly, Infinity);
  }

  /**
   * Brings into the walk, at `t`, every segment whose span begins by `upTo` (starting earlier
   * than needed is exact too): their leaves rebuilt at `t`, the hour armed if one reads it.
   * Returns the instant the next segment's span begins (Infinity: none left).
   */
  widen(t: number, upTo: number, out: Change[]): number {
    const focus = this.inFocus as boolean[];
    const added: number[] = [];
    let next = Infinity;
    this.starts.forEach((start, i) => {
      if (focus[i]) return;
      if (start <= upTo) added.push(i);
      else next = Math.min(next, start);
    });
    if (added.length === 0) return next;
    // What the walk owes the segments already in it comes first, before any leaf is rebuilt.
    this.advance(t, out);
    for (const i of added) focus[i] = true;
    this.resume(t, (leaf) => leaf.segs.some((i) => focus[i]));
    if (added.some((i) => this.b.clockSegs.has(i))) this.armClock(t);
    for (const i of added) this.mark(i);
    this.evaluate(t, out);
    return next;
  }

  /** Leaves `which` says are not kept current (nor woken) until `resume`. */
  private pause(which: (leaf: Leaf) => boolean): void {
    for (const leaf of this.b.leaves) {
      leaf.off = which(leaf);
      if (leaf.off) this.heap.set(leaf, Infinity);
    }
    this.refreshLive();
  }

  private refreshLive(): void {
    for (const a of this.b.alphas.values()) a.live = a.leaves.some((leaf) => !leaf.off);
    this.liveSessions = this.b.sessionLeaves.some((leaf) => !leaf.off);
  }

  /**
   * A focused replay's fast path: appends `r` when no live leaf reads it and it pushes nothing
   * out of the log, so nothing can change at its instant; the time-driven changes before it are
   * performed by the next `advance`, each at its own instant. False (nothing done): use `insert`.
   */
  appendQuiet(r: Rec): boolean {
    if (!this.inFocus || this.liveSessions || this.log.length - this.head >= this.maxEvents) return false;
    const alphas = this.alphasOf(r.type);
    for (let i = 0; i < alphas.length; i++) if ((alphas[i] as Alpha).live && (alphas[i] as Alpha).matches(r)) return false;
    const first = this.log.length === this.head;
    this.append(r);
    // The first event of an empty log is the oldest: retention wakes for it, as `insert` arranges.
    if (first) this.armRetention();
    return true;
  }

  /**
   * Leaves brought to `at` (the paused ones rebuilt) and queued for a verdict and a wake-up:
   * every leaf, or with `which` only the paused ones it names.
   */
  private resume(at: number, which?: (leaf: Leaf) => boolean): void {
    this.loading = false;
    for (const leaf of this.b.leaves) {
      if (which && !(leaf.off && which(leaf))) continue;
      if (leaf.off) leaf.reset(at);
      leaf.off = false;
      this.pend(leaf);
    }
    this.refreshLive();
  }

  /** Ends a focused replay: every leaf and segment brought to `at`, with nothing reported. */
  unfocus(at: number, out: Change[]): void {
    this.inFocus = null;
    this.resume(at);
    this.armClock(at);
    for (let i = 0; i < this.segs.length; i++) this.mark(i);
    this.evaluate(at, out);
  }

  /** Ends a replay of `load`s: the state at `at`, with nothing reported. */
  settle(at: number): void {
    this.cur = at;
    this.dropOld(at);
    this.resume(at);
    this.armClock(at);
    for (let i = 0; i < this.segs.length; i++) this.mark(i);
    this.evaluate(at, []);
  }

  private dropFront(): void {
    const r = this.log[this.head] as Rec;
    this.head++;
    this.sessions.onDropFront(r, this.log[this.head]);
    for (const a of this.alphasOf(r.type)) {
      if (a.recs[a.head] !== r) continue;
      a.dropFront();
    }
    for (const leaf of this.b.sessionLeaves) this.touch(leaf);
    if (this.head > 1024 && this.head * 2 > this.log.length) {
      this.log.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Drops events whose age reached `retain.for`, then re-arms for the next one. */
  private dropOld(now: number): void {
    while (this.log.length > this.head && now - (this.log[this.head] as Rec).t >= this.maxAge) this.dropFront();
    this.armRetention();
  }

  /** Retention wakes when the oldest retained event reaches `retain.for`. */
  private armRetention(): void {
    const oldest = this.log[this.head];
    this.heap.set(this.retention, oldest ? oldest.t + this.maxAge : Infinity);
  }

  /** Whether a (compiled) condition holds at `now`. */
  holds(n: Node, now: number): boolean {
    const [start, end] = n.p as [number, number];
    return evalProg(start, end, now, this.nodeEnv);
  }

  /** Re-evaluates dirty segments in dependency order and records changes at `now`. */
  evaluate(now: number, out: Change[]): void {
    // Most passes change nothing: the list exists only once something does.
    let changed: Seg[] | null = null;
    const enters = this.enters;
    let nEnters = 0;
    const byPos = this.byPos;
    const touched = this.touched;
    const checked = this.nTouched;
    const heap = this.heap;
    for (let k = 0; k < checked; k++) {
      const leaf = touched[k] as Leaf;
      if (leaf.settle(now, heap)) for (const s of leaf.segs) this.mark(s);
    }
    // Always take the lowest dirty position, so a segment runs once, after its references settled.
    const d = this.dirty;
    let n = this.nDirty;
    // Called on every pass but the few marked in order: a call first reached after the optimizing
    // compiler ran (an unsorted list is rare) threw its code away, and the code compiled again
    // ran setContext at half speed in about one process in four.
    if (!this.inOrder) sortSlots(d, 0, n, byPos);
    for (let j = 0; j < n; j++) {
      const i = d[j] as number;
      this.isDirty[i] = false;
      const s = this.segs[i] as Seg;
      const cond = evalProg(s.p[0], s.p[1], now, this.nodeEnv);
      let member = cond;
      if (s.holdMs) {
        if (cond) s.falseSince = null;
        else if (s.cond) s.falseSince = now;
        // hold: the exit comes exactly `hold` after the instant the condition turned false.
        const until = s.falseSince === null ? now : s.falseSince + s.holdMs;
        member = cond || now < until;
        this.heap.set(s.timer, member && !cond ? until : Infinity);
      }
      s.cond = cond;
      if (member !== s.isMember) {
        s.isMember = member;
        // In rule-set order exits go out as they come and enters wait in a reused buffer.
        if (!this.natural) (changed ??= []).push(s);
        else if (member) enters[nEnters++] = s;
        else out.push({ segment: s.id, member: false, t: now });
        if (s.refs.length) {
          // Its readers join the rest of the list, in dependency order.
          for (const r of s.refs) this.mark(r);
          sortSlots(d, j + 1, this.nDirty, byPos);
          n = this.nDirty;
        }
      }
      for (let q = 0; q < s.models.length; q++) this.pend(s.models[q] as Leaf);
    }
    this.nDirty = 0;
    for (let k = 0; k < this.nTouched; k++) {
      const leaf = touched[k] as Leaf;
      leaf.queued = false;
      // Models queued during evaluation: keep their verdict current for the next comparison
      // (the leaves touched before it were settled at the start).
      if (k >= checked) leaf.settle(now, heap);
    }
    this.nTouched = 0;
    // Exits before enters, each in rule-set order.
    for (let k = 0; k < nEnters; k++) out.push({ segment: (enters[k] as Seg).id, member: true, t: now });
    if (!changed) return;
    if (changed.length > 1) changed.sort((x, y) => x.index - y.index);
    for (const s of changed) if (!s.isMember) out.push({ segment: s.id, member: false, t: now });
    for (const s of changed) if (s.isMember) out.push({ segment: s.id, member: true, t: now });
  }

  /** The retained log, oldest first. */
  records(): Rec[] {
    return this.log.slice(this.head);
  }
}
