import type { Engine, RuleSet } from '@seglet/core';

/**
 * Where an instance keeps its debug hook: a symbol, so the public `Segments` type and its methods
 * stay as they are; `Symbol.for` so the script-tag overlay finds the hook of the script build.
 */
export const DEBUG_HOOK = /*#__PURE__*/ Symbol.for('seglet.debug');

/** What the overlay reads beside the public API: the live engine (it changes on consent and forget) and the rules. */
export interface DebugView {
  engine: Engine | null;
  rules: RuleSet | null;
}

/**
 * `hook(listener)` makes `listener` the one function called after every operation that may change
 * memberships, live values or the next change (track, tick, consent, ready), and with `true` once
 * the instance is destroyed (the overlay then removes itself), at once when it already is (an
 * overlay loaded after `destroy()` goes without showing); `hook()` only reads.
 */
export type DebugHook = (listener?: (destroyed?: boolean) => void) => DebugView;
