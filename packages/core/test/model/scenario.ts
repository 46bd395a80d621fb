import fc from 'fast-check';
import type { Primitive, Props, RuleSet } from '../../src/types.js';
import { localHourWeekday } from './localTime.js';
import { PATHS, TYPES, longText, num, primitive, resolveClock, ruleSet, text } from './ruleArbitraries.js';

/** One call (or clock move) of a scenario. `dt` places an event relative to the clock (fractional allowed). */
export type Step =
  | { do: 'track'; type: string; props?: Props; dt?: number }
  | { do: 'advance'; by: number | 'next' | 'next-1' }
  | { do: 'tick' }
  | { do: 'setContext'; patch: Props }
  | { do: 'identify'; userId: string | null; traits?: Props }
  | { do: 'setRules'; rules: RuleSet };

/** Everything the differential test runs: engine options (with history relative to `base`) and steps. */
export interface Scenario {
  timeZone: string;
  base: number;
  anonymousId: string;
  rules: RuleSet;
  context?: Props;
  traits?: Props;
  userId?: string;
  history?: { type: string; props?: Props; dt?: number }[];
  steps: Step[];
}

/** Instants close to which local hours (and some days, and DST) turn in the zones below. */
const BOUNDARIES = [
  Date.UTC(2026, 2, 8, 7, 0), // New York DST starts (01:59:59.999 EST -> 03:00 EDT)
  Date.UTC(2026, 0, 4, 18, 15), // Kathmandu (+05:45) Sunday -> Monday
  Date.UTC(2026, 5, 6, 22, 0), // Berlin (+02:00) Saturday -> Sunday
  Date.UTC(2026, 9, 25, 1, 0), // Berlin DST ends (03:00 CEST -> 02:00 CET)
  Date.UTC(2026, 3, 1, 12, 30), // Kolkata (+05:30) 18:00
];
const ZONES = ['UTC', 'America/New_York', 'Asia/Kathmandu', 'Europe/Berlin', 'Asia/Kolkata'];

const props: fc.Arbitrary<Props> = fc.record({
  path: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<Primitive>(...PATHS) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: num },
    { weight: 2, arbitrary: text }, { weight: 1, arbitrary: text.map((t) => `/p/${t}`) }, { weight: 1, arbitrary: longText },
  ),
  value: fc.oneof(num, num, fc.constant(null), fc.constant('5'), fc.array(num, { maxLength: 3 })),
  tags: fc.oneof(fc.array(primitive, { maxLength: 3 }), primitive),
  item: fc.oneof({ weight: 9, arbitrary: primitive }, { weight: 1, arbitrary: longText }),
}, { requiredKeys: [] });
const contextPatch: fc.Arbitrary<Props> = fc.record({
  device: fc.constantFrom('mobile', 'tablet', 'desktop', null),
  path: fc.oneof(fc.constantFrom<Primitive>(...PATHS), fc.constant(null), text, longText),
  flag: fc.oneof(fc.boolean(), fc.constant(null)),
  lang: fc.oneof(fc.constantFrom('en', 'de', null, 'français', 'ελληνικά'), text),
  hour: fc.integer({ min: 0, max: 23 }),
}, { requiredKeys: [] });
const traitPatch: fc.Arbitrary<Props> = fc.record({
  tier: fc.oneof(fc.constantFrom('gold', 'silver', null), text, longText),
  age: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(null)),
  tags: fc.array(primitive, { maxLength: 3 }),
  vip: fc.oneof(fc.boolean(), fc.constant(null)),
}, { requiredKeys: [] });
const eventType = fc.constantFrom<string>(...TYPES);
const dt = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -80, max: 0 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }) },
  { weight: 1, arbitrary: fc.integer({ min: -40, max: 5 }).map((n) => n + 0.5) },
);

/**
 * Weights of the step kinds; `timeHeavy` favours clock moves and ticks, `contextHeavy` setContext
 * and identify (to outgrow the context history the rules retain).
 */
export function scenario(opts: { steps?: number; timeHeavy?: boolean; rulesChanges?: boolean; unit?: number; dense?: boolean; contextHeavy?: boolean } = {}): fc.Arbitrary<Scenario> {
  // `unit` scales every duration, clock move and event offset (ms by default; seconds or minutes
  // make the clock cross hours, days and DST changes)
  const unit = opts.unit ?? 1;
  const rules = ruleSet(unit);
  const scaled = (a: fc.Arbitrary<number>) => a.map((n) => n * unit);
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 10, arbitrary: fc.record({ do: fc.constant('track' as const), type: eventType, props, dt: opts.dense ? fc.integer({ min: -4, max: 1 }) : scaled(dt) }, { requiredKeys: ['do', 'type'] }) },
    {
      weight: opts.timeHeavy ? 9 : 6,
      arbitrary: opts.dense ? fc.record({ do: fc.constant('advance' as const), by: fc.constantFrom<number | 'next' | 'next-1'>(0, 0, 1, 1, 2, 3, 'next') }) : fc.record({
        do: fc.constant('advance' as const),
        by: fc.oneof(
          fc.constantFrom<number | 'next' | 'next-1'>(0, 1, 'next', 'next', 'next-1', 0.5),
          scaled(fc.integer({ min: 2, max: 40 })), scaled(fc.integer({ min: 100, max: 400 })),
        ),
      }),
    },
    { weight: opts.timeHeavy ? 4 : 2, arbitrary: fc.constant({ do: 'tick' as const }) },
    { weight: opts.contextHeavy ? 10 : 1, arbitrary: fc.record({ do: fc.constant('setContext' as const), patch: contextPatch }) },
    { weight: opts.contextHeavy ? 4 : 1, arbitrary: fc.record({ do: fc.constant('identify' as const), userId: fc.constantFrom('u1', 'u2', null), traits: traitPatch }, { requiredKeys: ['do', 'userId'] }) },
    { weight: opts.rulesChanges ? 3 : 1, arbitrary: rules.map((r) => ({ do: 'setRules' as const, rules: r })) },
  );
  return fc.record({
    timeZone: fc.constantFrom(...ZONES),
    boundary: fc.constantFrom(...BOUNDARIES),
    before: scaled(fc.integer({ min: 0, max: 150 })),
    anonymousId: fc.constantFrom('anon-1', 'visitor-42', 'ü-ß', '😀-\ud83d', '\ude00'),
    rules,
    context: contextPatch,
    traits: traitPatch,
    userId: fc.constantFrom('u0'),
    history: fc.array(fc.record({ type: eventType, props, dt: scaled(fc.integer({ min: -250, max: 10 })) }, { requiredKeys: ['type'] }), { maxLength: 6 }),
    steps: fc.array(step, { minLength: 8, maxLength: opts.steps ?? 25, size: 'medium' }),
  }, { requiredKeys: ['timeZone', 'boundary', 'before', 'anonymousId', 'rules', 'steps'] }).map(({ boundary, before, ...rest }) => {
    const base = boundary - before;
    const { hour, weekday } = localHourWeekday(base, rest.timeZone);
    const s: Scenario = resolveClock({ ...rest, base }, hour, weekday);
    return Object.assign(s, { [fc.toStringMethod]: () => JSON.stringify(s, null, 1) });
  });
}
