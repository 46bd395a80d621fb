// The two baselines for the behavioral benchmark, plain JS implementing the same 50 rules as the seglet
// rule set in workload.mjs, with the spec's semantics (window now - W < t <= now, empty aggregates,
// abandoned, retention by count and by age):
//   'full'  - for each rule, scan the whole retained log on each event;
//   'smart' - scan backwards from the newest event and stop at the window start (or at the first
//             match, for since/last/abandoned).
// Events arrive in time order with strictly increasing t, which both baselines rely on.

const RETAIN_FOR = 90 * 86_400_000;

function test(op, value, x) {
  switch (op) {
    case 'gte': return typeof x === 'number' && x >= value;
    case 'lte': return typeof x === 'number' && x <= value;
    default: return typeof x === 'string' && x.startsWith(value);
  }
}

const matches = (s, e) => (s.type === '*' || e.type === s.type) && (s.where === null || s.where(e));

/** Full rescan: visits every retained event for every rule. */
function evalFull(s, log, lo, hi, now) {
  const from = s.within === null ? -Infinity : now - s.within;
  switch (s.agg) {
    case 'count': { let n = 0; for (let i = lo; i < hi; i++) { const e = log[i]; if (e.t > from && matches(s, e)) n++; } return test(s.op, s.value, n); }
    case 'sum': {
      let sum = 0;
      for (let i = lo; i < hi; i++) { const e = log[i]; if (e.t > from && matches(s, e)) { const x = e.props[s.of]; if (typeof x === 'number' && Number.isFinite(x)) sum += x; } }
      return test(s.op, s.value, sum);
    }
    case 'max': {
      let max = null;
      for (let i = lo; i < hi; i++) { const e = log[i]; if (e.t > from && matches(s, e)) { const x = e.props[s.of]; if (typeof x === 'number' && Number.isFinite(x) && (max === null || x > max)) max = x; } }
      return test(s.op, s.value, max);
    }
    case 'distinct': {
      const seen = new Set();
      for (let i = lo; i < hi; i++) { const e = log[i]; if (e.t > from && matches(s, e)) { const x = e.props[s.of]; if (x !== null && x !== undefined) seen.add(x); } }
      return test(s.op, s.value, seen.size);
    }
    case 'last': {
      let last = null;
      for (let i = lo; i < hi; i++) { const e = log[i]; if (e.t > from && matches(s, e)) last = e.props[s.of] ?? null; }
      return test(s.op, s.value, last);
    }
    case 'since': {
      let at = -Infinity;
      for (let i = lo; i < hi; i++) { const e = log[i]; if (matches(s, e)) at = e.t; }
      return test(s.op, s.value, now - at);
    }
    default: { // abandoned
      let a = null; let cancelled = false;
      for (let i = lo; i < hi; i++) {
        const e = log[i];
        if (e.t > from && matches(s, e)) { a = e; cancelled = false; } else if (a !== null && e.type === s.unless) cancelled = true;
      }
      return a !== null && !cancelled && now - a.t >= s.after;
    }
  }
}

/** Backward scan that stops at the window start, or at the first event that decides the answer. */
function evalSmart(s, log, lo, hi, now) {
  const from = s.within === null ? -Infinity : now - s.within;
  switch (s.agg) {
    case 'count': { let n = 0; for (let i = hi - 1; i >= lo; i--) { const e = log[i]; if (e.t <= from) break; if (matches(s, e)) n++; } return test(s.op, s.value, n); }
    case 'sum': {
      let sum = 0;
      for (let i = hi - 1; i >= lo; i--) { const e = log[i]; if (e.t <= from) break; if (matches(s, e)) { const x = e.props[s.of]; if (typeof x === 'number' && Number.isFinite(x)) sum += x; } }
      return test(s.op, s.value, sum);
    }
    case 'max': {
      let max = null;
      for (let i = hi - 1; i >= lo; i--) { const e = log[i]; if (e.t <= from) break; if (matches(s, e)) { const x = e.props[s.of]; if (typeof x === 'number' && Number.isFinite(x) && (max === null || x > max)) max = x; } }
      return test(s.op, s.value, max);
    }
    case 'distinct': {
      const seen = new Set();
      for (let i = hi - 1; i >= lo; i--) { const e = log[i]; if (e.t <= from) break; if (matches(s, e)) { const x = e.props[s.of]; if (x !== null && x !== undefined) seen.add(x); } }
      return test(s.op, s.value, seen.size);
    }
    case 'last': {
      for (let i = hi - 1; i >= lo; i--) { const e = log[i]; if (e.t <= from) break; if (matches(s, e)) return test(s.op, s.value, e.props[s.of] ?? null); }
      return test(s.op, s.value, null);
    }
    case 'since': {
      for (let i = hi - 1; i >= lo; i--) { const e = log[i]; if (matches(s, e)) return test(s.op, s.value, now - e.t); }
      return false; // Infinity is never <= a finite bound
    }
    default: { // abandoned: the newest add_to_cart or purchase decides
      for (let i = hi - 1; i >= lo; i--) {
        const e = log[i];
        if (e.t <= from) break;
        if (e.type === s.unless) return false;
        if (matches(s, e)) return now - e.t >= s.after;
      }
      return false;
    }
  }
}

/** A rescan evaluator over a retained log; `mode` is 'full' or 'smart'. */
export class Rescan {
  constructor(rules, retainEvents, mode) {
    this.specs = rules.map((r) => r.spec);
    this.retain = retainEvents;
    this.evalRule = mode === 'full' ? evalFull : evalSmart;
    this.log = [];
    this.lo = 0;
    this.member = new Uint8Array(this.specs.length);
  }

  /** Appends an event (t >= every earlier t) and drops what retention drops at `now`. */
  push(e, now = e.t) {
    this.log.push(e);
    while (this.log.length - this.lo > this.retain) this.lo++;
    while (this.lo < this.log.length && now - this.log[this.lo].t >= RETAIN_FOR) this.lo++;
    if (this.lo > 4096 && this.lo > this.log.length >> 1) { this.log = this.log.slice(this.lo); this.lo = 0; }
  }

  /** Membership of every rule at `now`, in rule order (1 member, 0 not). */
  evaluate(now) {
    const { specs, log, lo, member } = this;
    const hi = log.length;
    for (let r = 0; r < specs.length; r++) member[r] = this.evalRule(specs[r], log, lo, hi, now) ? 1 : 0;
    return member;
  }

  /** What seglet's track() does, as a rescan: record, then evaluate all rules. */
  track(e) {
    this.push(e);
    return this.evaluate(e.t);
  }
}
