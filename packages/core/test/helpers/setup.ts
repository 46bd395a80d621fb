import { expect } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Change, Condition, Engine, EngineOptions, PropValue, RuleSet, SegmentRule } from '../../src/index.js';
import { fakeClock, T0 } from './fakeClock.js';
import type { FakeClock } from './fakeClock.js';

export interface Harness {
  engine: Engine;
  clock: FakeClock;
  /** Every change delivered to subscribe(), in delivery order. */
  log: Change[];
}

type SegmentsInput = Record<string, Condition | SegmentRule>;

function isRule(x: Condition | SegmentRule): x is SegmentRule {
  return typeof x === 'object' && x !== null && 'when' in x;
}

/** Builds a rule set; a bare condition becomes `{ when: condition }`. */
export function ruleSet(segments: SegmentsInput, extra: Omit<Partial<RuleSet>, 'segments'> = {}): RuleSet {
  const out: Record<string, SegmentRule> = {};
  for (const [id, v] of Object.entries(segments)) out[id] = isRule(v) ? v : { when: v };
  return { version: 1, ...extra, segments: out };
}

/** One segment `s` with condition `when`. */
export function one(when: Condition, rule: Omit<SegmentRule, 'when'> = {}, extra: Omit<Partial<RuleSet>, 'segments'> = {}): RuleSet {
  return ruleSet({ s: { when, ...rule } }, extra);
}

/** Creates an engine on a fake clock with UTC, a fixed anonymous id, and a change log. */
export function harness(rules: RuleSet, options: Partial<Omit<EngineOptions, 'rules' | 'now'>> & { start?: number } = {}): Harness {
  const { start = T0, ...rest } = options;
  const clock = fakeClock(start);
  const engine = createEngine({ timeZone: 'UTC', anonymousId: 'anon-test-1', ...rest, rules, now: clock.now });
  const log: Change[] = [];
  engine.subscribe((c) => log.push(c));
  return { engine, clock, log };
}

/** Tracks an event at instant `at` (the clock moves there first) and returns the changes. */
export function trackAt(h: Harness, at: number, type: string, props?: Record<string, PropValue>): Change[] {
  h.clock.set(at);
  return h.engine.track(type, props);
}

/** Moves the clock to `at` and ticks. */
export function tickAt(h: Harness, at: number): Change[] {
  h.clock.set(at);
  return h.engine.tick();
}

/**
 * Asserts that `id` flips to `member` at exactly `at` through time alone:
 * nothing at `at - 1`, nextChange() then names `at` (the only instant both rules of spec 4 allow),
 * and tick() at `at` emits the change with t = at.
 */
export function expectFlipAt(h: Harness, id: string, at: number, member: boolean): void {
  const before = tickAt(h, at - 1);
  expect(before.filter((c) => c.segment === id)).toEqual([]);
  expect(h.engine.has(id)).toBe(!member);
  expect(h.engine.nextChange()).toBe(at);
  const changes = tickAt(h, at);
  expect(changes.filter((c) => c.segment === id)).toEqual([{ segment: id, member, t: at }]);
  expect(h.engine.has(id)).toBe(member);
}

/** Asserts that `id` does not change through time at any instant up to and including `until`. */
export function expectNoFlipUntil(h: Harness, id: string, until: number): void {
  const member = h.engine.has(id);
  const changes = tickAt(h, until);
  expect(changes.filter((c) => c.segment === id)).toEqual([]);
  expect(h.engine.has(id)).toBe(member);
}

/** Shorthand for a Change. */
export function ch(segment: string, member: boolean, t: number): Change {
  return { segment, member, t };
}
