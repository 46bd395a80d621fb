// The bounded context history: folding old changes into the starting values keeps the state exact
// from the newest folded change on, and each key's own value exact from its last change on, however
// many changes of other keys follow (a replay reads when each value was set).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTo, foldPatches, type Base, type Patch } from '../src/foldPatches.js';
import type { Props } from '../src/types.js';

const KEYS = ['a', 'b', 'c', 'd'];
const patchArb = fc.record({
  traits: fc.boolean(),
  clear: fc.boolean(),
  values: fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(null)), { maxKeys: 3 }),
});

/** Patches in time order (ties allowed), context patches never clearing (identify(null) clears traits only). */
const history = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), patchArb), { minLength: 1, maxLength: 40 }).map((xs) => {
  let t = 0;
  return xs.map(([dt, x], seq): Patch => ({ t: (t += dt), seq, traits: x.traits, clear: x.traits && x.clear, values: x.values as Props }));
});

/** Values at instant `at`: the base, then every patch made by then. */
function stateAt(base: Base, patches: readonly Patch[], at: number): Base {
  const s: Base = { context: { ...base.context }, traits: { ...base.traits } };
  for (const x of patches) if (x.t <= at) applyTo(s, x);
  return s;
}

describe('foldPatches', () => {
  it('keeps the state exact from the newest folded change on, and each key exact from its last folded change on', () => {
    fc.assert(fc.property(history, fc.nat(), fc.integer({ min: 1, max: 50 }), (patches, cut, cap) => {
      const n = 1 + (cut % patches.length);
      const base: Base = { context: { a: 9 }, traits: { b: 9 } };
      const folded = patches.slice();
      const after: Base = { context: { ...base.context }, traits: { ...base.traits } };
      foldPatches(folded, n, after, cap);
      const end = (patches[patches.length - 1] as Patch).t;
      const horizon = (patches[n - 1] as Patch).t;
      for (let t = horizon; t <= end + 1; t++) expect(stateAt(after, folded, t)).toEqual(stateAt(base, patches, t));
      expect(folded.length).toBeLessThanOrEqual(patches.length - n + Math.min(cap, n));
      if (cap < n) return;
      // With room for every last change: a key keeps its value from its last folded change on.
      for (const traits of [false, true]) {
        for (const k of KEYS) {
          const own = patches.slice(0, n).filter((x) => x.traits === traits && (Object.hasOwn(x.values, k) || x.clear));
          const last = own[own.length - 1];
          if (!last || patches.slice(n).some((x) => x.traits === traits && x.t === last.t)) continue;
          for (let t = last.t; t <= end; t++) {
            const kind = traits ? 'traits' : 'context';
            expect(stateAt(after, folded, t)[kind][k]).toEqual(stateAt(base, patches, t)[kind][k]);
          }
        }
      }
    }), { numRuns: 1500 });
  });

  it('keeps at most `cap` last changes: keys set once each, by the thousand, fold after all', () => {
    const patches: Patch[] = Array.from({ length: 3000 }, (_, i) => ({ t: i, seq: i, traits: false, clear: false, values: { [`k${i}`]: i } }));
    const base: Base = { context: {}, traits: {} };
    foldPatches(patches, 2000, base, 1000);
    expect(patches.length).toBe(2000);
    expect(Object.keys(base.context).length).toBe(1000);
    expect(stateAt(base, patches, 3000).context).toEqual(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])));
  });
});
