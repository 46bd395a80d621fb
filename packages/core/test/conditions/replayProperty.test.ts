import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Condition, RuleSet } from '../../src/index.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

// Principle 1 and spec 4: with events in order and nothing evicted, a reload (createEngine with events())
// and setRules(same rules) must reproduce the live engine, running holds included, and then change at the
// same instants as the live one.

const condArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ count: fc.constant('a'), within: fc.constantFrom(10 * MIN, HOUR), gte: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ sum: fc.constant('a'), of: fc.constant('v'), within: fc.constantFrom(30 * MIN, HOUR), gte: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ max: fc.constant('a'), of: fc.constant('v'), within: fc.constantFrom(20 * MIN, HOUR), gte: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ since: fc.constantFrom('a', '*'), lt: fc.constantFrom(15 * MIN, 45 * MIN) }),
  fc.record({ abandoned: fc.constant('add'), unless: fc.constant('buy'), after: fc.constantFrom(10 * MIN, 25 * MIN) }),
  fc.record({ session: fc.constantFrom('events' as const, 'number' as const), gte: fc.integer({ min: 2, max: 3 }) }),
);

const rulesArb = fc.array(fc.record({ when: condArb, hold: fc.constantFrom(undefined, 20 * MIN, 2 * HOUR) }), { minLength: 1, maxLength: 5 }).map((segs) => {
  const segments: RuleSet['segments'] = {};
  segs.forEach((s, i) => {
    segments[`s${i}`] = s.hold === undefined ? { when: s.when } : { when: s.when, hold: s.hold };
  });
  // a reference to the first segment, so held references are replayed too
  segments['ref'] = { when: { not: { segment: 's0' } }, hold: 30 * MIN };
  return { version: 1 as const, segments };
});

const stepsArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 50 }), type: fc.constantFrom('a', 'a', 'add', 'buy', 'page_view', 'tick'), v: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 20 });

describe('reload and setRules reproduce the live engine', () => {
  it('same members, and the same changes afterwards', () => {
    fc.assert(
      fc.property(rulesArb, stepsArb, fc.integer({ min: 1, max: 180 }), (rules, steps, later) => {
        let now = T0;
        const live = createEngine({ rules, now: () => now, timeZone: 'UTC', anonymousId: 'r' });
        for (const { dt, type, v } of steps) {
          now += dt * MIN;
          if (type === 'tick') live.tick();
          else live.track(type, { v });
        }
        live.tick();
        const reloaded = createEngine({ rules, now: () => now, timeZone: 'UTC', anonymousId: 'r', events: [...live.events()] });
        expect(reloaded.members()).toEqual(live.members());
        const rebuilt = createEngine({ rules, now: () => now, timeZone: 'UTC', anonymousId: 'r', events: [...live.events()] });
        expect(rebuilt.setRules(rules)).toEqual([]);
        expect(live.setRules(rules)).toEqual([]);
        expect(live.members()).toEqual(reloaded.members());
        now += later * MIN;
        expect(reloaded.tick()).toEqual(live.tick());
      }),
      { numRuns: 300, seed: 9 },
    );
  });
  it('without holds, late events and evictions included: a reload gives the same members and changes', () => {
    const noHold = fc.array(condArb, { minLength: 1, maxLength: 5 }).map((conds) => {
      const segments: RuleSet['segments'] = {};
      conds.forEach((when, i) => { segments[`s${i}`] = { when }; });
      segments['ref'] = { when: { not: { segment: 's0' } } };
      return { version: 1 as const, retain: { events: 6 }, segments };
    });
    const lateSteps = fc.array(fc.record({
      dt: fc.integer({ min: 0, max: 50 }), type: fc.constantFrom('a', 'add', 'buy', 'page_view', 'tick'), v: fc.integer({ min: 0, max: 4 }),
      late: fc.option(fc.integer({ min: 0, max: 90 }), { freq: 3 }),
    }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(noHold, lateSteps, fc.integer({ min: 1, max: 180 }), (rules, steps, later) => {
        let now = T0;
        const live = createEngine({ rules, now: () => now, timeZone: 'UTC', anonymousId: 'r' });
        for (const { dt, type, v, late } of steps) {
          now += dt * MIN;
          if (type === 'tick') live.tick();
          else live.track(type, { v }, late === null ? undefined : { t: now - late * MIN });
        }
        live.tick();
        const reloaded = createEngine({ rules, now: () => now, timeZone: 'UTC', anonymousId: 'r', events: [...live.events()] });
        expect(reloaded.members()).toEqual(live.members());
        expect(live.setRules(rules)).toEqual([]);
        now += later * MIN;
        expect(reloaded.tick()).toEqual(live.tick());
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
