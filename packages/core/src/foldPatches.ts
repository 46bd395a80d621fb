import type { Props } from './types.js';

/** A context or trait change, kept so a replay applies it at the instant it was made. */
export interface Patch { t: number; seq: number; traits: boolean; clear: boolean; values: Props }

/** The values a history starts from. */
export interface Base { context: Props; traits: Props }

/** Merges `values` into `into`: a null removes the key. */
export function merge(into: Props, values: Props): void {
  for (const k of Object.keys(values)) {
    if (values[k] === null) Reflect.deleteProperty(into, k);
    else into[k] = values[k] as Props[string];
  }
}

/** Applies a change to the values it targets. */
export function applyTo(base: Base, x: Patch): void {
  const target = x.traits ? base.traits : base.context;
  if (x.clear) for (const k of Object.keys(target)) Reflect.deleteProperty(target, k);
  merge(target, x.values);
}

/**
 * At most this many calls keep their instants, whatever `retain.events` allows: one engine that
 * evaluates many attribute sets (a server, a worker) made 100,000 calls, and keeping 10,000 of
 * them cost about a fifth of its speed in garbage collection and about 2 MB, for replays that a
 * page rarely needs past its last 1,000 calls.
 */
export const MAX_CALLS = 1000;

/** How long a rule set keeps its history (`retain`): the `Network` of the rules in force. */
export interface Retain { maxEvents: number; maxAge: number }

/**
 * Folds into `base`, in place, the changes that `retain` no longer keeps: those older than its
 * `retain.for` (`now - t >= maxAge`, the event log's boundary) and those beyond its newest
 * `retain.events` (at most {@link MAX_CALLS}); the state stays exact from the newest folded change
 * on, and before it holds that change's state, a state that really held (never a mix of values
 * from different times).
 *
 * Why like the log: a replay (`setRules`) applies each kept change at its instant, and walks
 * instant by instant only over the new rules' longest hold span (`build`'s `reach`): the state
 * must be exact at its start, and every change after it must keep its instant. Folding by age
 * keeps that whenever the span is within `retain.for` (when the two are equal, a change folded at
 * the span's first instant can only move an exit due at the replay's own instant, which it
 * performs). Holds longer than `retain.for` are a validation warning already, and a reload too
 * knows only the retained log. The fold this replaces kept the last change of each key and put
 * the values they replaced in the base: values never true together looked true together from the
 * origin, and a running hold whose cause was buried under 1,000 other keys was lost.
 *
 * With `slack`, nothing is folded until more than `slack` changes are due, so a call costs O(1)
 * amortized (a fold costs O(patches)): changes kept longer than due only make a replay more exact.
 * A replay first folds with no slack, so what it sees does not depend on when earlier calls folded.
 */
export function foldPatches(patches: Patch[], base: Base, now: number, retain: Retain, slack: number): void {
  const maxEvents = Math.min(retain.maxEvents, MAX_CALLS);
  const maxAge = retain.maxAge;
  const due = patches[slack];
  if (patches.length <= maxEvents + slack && !(due && now - due.t >= maxAge)) return;
  let n = Math.max(0, patches.length - maxEvents);
  // In time order: the changes due by age are the oldest ones.
  while (n < patches.length && now - (patches[n] as Patch).t >= maxAge) n++;
  for (let i = 0; i < n; i++) applyTo(base, patches[i] as Patch);
  patches.splice(0, n);
}
