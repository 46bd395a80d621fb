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
 * For each of the first `n` patches: its values that are the last change of their key (nothing
 * later sets the key or clears the traits), or null when later patches override all of it.
 * A clear that nothing later overrides is kept whole.
 */
const sameKeys = (a: string[], b: string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

function lastChanges(patches: readonly Patch[], n: number): (Props | null)[] {
  const later = { context: new Set<string>(), traits: new Set<string>() };
  let cleared = false;
  const out: (Props | null)[] = [];
  let prev: { traits: boolean; keys: string[] } | null = null;
  for (let i = patches.length - 1; i >= 0; i--) {
    const x = patches[i] as Patch;
    const seen = x.traits ? later.traits : later.context;
    const keys = Object.keys(x.values);
    // The same keys as the patch after it (the usual churn): all overridden, nothing to add.
    if (!x.clear && prev && prev.traits === x.traits && sameKeys(keys, prev.keys)) {
      if (i < n) out[i] = null;
      continue;
    }
    prev = { traits: x.traits, keys };
    if (i < n) {
      let own: Props | null = null;
      if (x.traits && cleared) own = null;
      else if (x.clear) own = x.values;
      else for (let j = 0; j < keys.length; j++) if (!seen.has(keys[j] as string)) (own ??= {})[keys[j] as string] = x.values[keys[j] as string] as Props[string];
      out[i] = own;
    }
    for (let j = 0; j < keys.length; j++) seen.add(keys[j] as string);
    if (x.traits && x.clear) cleared = true;
  }
  return out;
}

/**
 * Folds the oldest `n` patches into `base`, in place, so the history stays bounded. What later
 * changes override joins the base; the last change of each key keeps its instant (at most `cap`
 * such patches, the oldest folded beyond that), so a replay still sees when each value was set
 * however many changes of other keys followed. Folding whole patches made a key set once, then
 * buried under 2,000 changes of another, look set from the very start.
 */
export function foldPatches(patches: Patch[], n: number, base: Base, cap: number): void {
  const own = lastChanges(patches, n);
  // Keys changed once each, by the thousand: the oldest last changes are folded after all.
  let over = own.filter(Boolean).length - cap;
  const kept: Patch[] = [];
  // A kept clear of the traits wipes them at its instant: trait changes that later ones override
  // join that clear instead of the base, as the others join the base.
  let clearing: Patch | null = null;
  const into = (y: Patch): void => {
    if (y.traits && clearing) merge(clearing.values, y.values);
    else applyTo(base, y);
  };
  for (let i = 0; i < n; i++) {
    const x = patches[i] as Patch;
    const last = own[i] as Props | null;
    if (!last || over-- > 0) into(x);
    else if (last === x.values) {
      const copy = { ...x, values: { ...x.values } };
      kept.push(copy);
      if (x.traits && x.clear) clearing = copy;
    } else {
      const superseded: Props = {};
      for (const k of Object.keys(x.values)) if (!Object.hasOwn(last, k)) superseded[k] = x.values[k] as Props[string];
      into({ ...x, values: superseded });
      kept.push({ ...x, values: last });
    }
  }
  patches.splice(0, n, ...kept);
}
