// The bounded context history, kept like the event log: exactly the changes the rules no longer
// retain (older than retain.for, or beyond the newest retain.events) fold into the starting values,
// none that they retain, and the state stays exact from the newest folded change on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTo, foldPatches, MAX_CALLS, type Base, type Patch, type Retain } from '../src/foldPatches.js';
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
  const retainArb = fc.record({ maxEvents: fc.integer({ min: 1, max: 50 }), maxAge: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.constant(Infinity)) });

  it('folds exactly the changes the rules no longer retain, once more than `slack` are due, and keeps the state exact from the newest folded change on', () => {
    fc.assert(fc.property(history, fc.nat(30), retainArb, fc.nat(10), (patches, later, retain: Retain, slack) => {
      const base: Base = { context: { a: 9 }, traits: { b: 9 } };
      const end = (patches[patches.length - 1] as Patch).t;
      const now = end + later;
      // Due: beyond the newest maxEvents (never more than MAX_CALLS; 50 here), or now - t >= maxAge
      // (a prefix: patches are in time order).
      const due = patches.filter((x, i) => i < patches.length - retain.maxEvents || now - x.t >= retain.maxAge).length;
      expect(patches.slice(0, due).every((x, i) => patches.indexOf(x) === i)).toBe(true);
      const folded = patches.slice();
      const after: Base = { context: { ...base.context }, traits: { ...base.traits } };
      foldPatches(folded, after, now, retain, slack);
      const n = due > slack ? due : 0;
      expect(folded).toEqual(patches.slice(n));
      if (n === 0) return void expect(after).toEqual(base);
      const horizon = (patches[n - 1] as Patch).t;
      for (let t = horizon; t <= now + 1; t++) expect(stateAt(after, folded, t)).toEqual(stateAt(base, patches, t));
    }), { numRuns: 1500 });
  });

  it('by count: at most MAX_CALLS (1,000) keep their instants, whatever retain.events allows', () => {
    const patches: Patch[] = Array.from({ length: 3000 }, (_, i) => ({ t: i, seq: i, traits: false, clear: false, values: { x: i } }));
    const all = patches.slice();
    const base: Base = { context: {}, traits: {} };
    expect(MAX_CALLS).toBe(1000);
    foldPatches(patches, base, 3000, { maxEvents: 10_000, maxAge: Infinity }, 125);
    expect(patches).toEqual(all.slice(2000));
    expect(base.context).toEqual({ x: 1999 });
  });

  it('by count: keys set once each, by the thousand, keep only the newest retain.events', () => {
    const patches: Patch[] = Array.from({ length: 3000 }, (_, i) => ({ t: i, seq: i, traits: false, clear: false, values: { [`k${i}`]: i } }));
    const all = patches.slice();
    const base: Base = { context: {}, traits: {} };
    foldPatches(patches, base, 3000, { maxEvents: 1000, maxAge: Infinity }, 125);
    expect(patches).toEqual(all.slice(2000));
    expect(Object.keys(base.context).length).toBe(2000);
    expect(stateAt(base, patches, 3000).context).toEqual(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])));
  });

  it('by age: now - t >= maxAge folds (the log\'s boundary), and only once more than `slack` are due', () => {
    const patches = (): Patch[] => Array.from({ length: 100 }, (_, i) => ({ t: i, seq: i, traits: i % 2 === 0, clear: false, values: { k: i } }));
    const retain = { maxEvents: 1000, maxAge: 50 };
    const lazy = patches();
    foldPatches(lazy, { context: {}, traits: {} }, 100, retain, 51);
    expect(lazy.length).toBe(100);
    const base: Base = { context: {}, traits: {} };
    const due = patches();
    foldPatches(due, base, 100, retain, 50);
    expect(due.map((x) => x.t)).toEqual(Array.from({ length: 49 }, (_, i) => 51 + i));
    expect(base).toEqual({ context: { k: 49 }, traits: { k: 50 } });
  });
});
