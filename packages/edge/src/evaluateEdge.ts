import { createEngine } from '@seglet/core';
import type { Engine, Props, RuleSet } from '@seglet/core';

/** An engine kept for one rule variant and time zone, moved to each request's context and time. */
interface Kept {
  engine: Engine;
  /** The engine's clock: the current request's time. */
  t: number;
  /** Context keys the engine holds, so the next request can clear the ones it lacks. */
  keys: string[];
}

/** Engines kept per rule variant (the variants are cached objects, see prepareRules). */
const kept = new WeakMap<RuleSet, Map<string, Kept>>();
/** Time zones kept per variant: a worker sees few, a bound keeps memory flat when it sees many. */
const MAX_ZONES = 32;
/** The engine's limit on context keys (checkProps). */
const MAX_KEYS = 32;

/**
 * Members among the edge-evaluated segments (`rules` holds only those) with the request's context
 * at `now` in `timeZone`. Building an engine (validating the rules, compiling the network) costs
 * far more than evaluating one, so one engine per variant and zone is kept for the isolate and
 * moved to each request's context: `setContext` with this request's keys, and null for the keys
 * of the previous one it lacks (a missing key reads as null, so the result is what a fresh engine
 * gives). A clock going backwards, or a context the move cannot express within the key limit, gets
 * a fresh engine. Throws what the engine throws for bad context values (the kept engine is then
 * unchanged).
 */
export function evaluateEdge(rules: RuleSet, context: Props, now: () => number, timeZone: string): Set<string> {
  const t = Math.floor(now());
  let zones = kept.get(rules);
  if (!zones) {
    zones = new Map();
    kept.set(rules, zones);
  }
  const old = zones.get(timeZone);
  if (old && t >= old.t) {
    const delta: Props = { ...context };
    for (const key of old.keys) if (!Object.hasOwn(context, key)) delta[key] = null;
    if (Object.keys(delta).length <= MAX_KEYS) {
      old.t = t;
      old.engine.setContext(delta);
      old.keys = Object.keys(context);
      return new Set(old.engine.members());
    }
  }
  const fresh: Kept = { engine: undefined as unknown as Engine, t, keys: Object.keys(context) };
  // No onError: nothing here tracks events or runs callbacks, so nothing can be reported later.
  fresh.engine = createEngine({ rules, context, now: () => fresh.t, timeZone, anonymousId: 'edge' });
  if (zones.size >= MAX_ZONES) zones.clear();
  zones.set(timeZone, fresh);
  return new Set(fresh.engine.members());
}
