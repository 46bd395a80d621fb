import { describe, expect, it } from 'vitest';
import { createEngine, SegletError } from '../src/index.js';
import type { RuleSet } from '../src/index.js';
import { errorsOfWhen, WHEN } from './helpers/validation.js';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SegletError);
    return (e as SegletError).message;
  }
  throw new Error('nothing thrown');
};
const rules = { version: 1, segments: { s: { when: { count: 'x', gte: 1 } } } } as RuleSet;
const value = (v: unknown) => ({ score: { terms: [{ weight: 1, value: v }] }, gte: 1 });

describe('messages the audit found misleading', () => {
  it('an empty array is shown as one', () => {
    expect(errorsOfWhen({ score: { terms: [] }, gte: 1 })).toEqual([{ path: `${WHEN}/score/terms`, message: '"terms" needs a non-empty array, got an empty array' }]);
  });

  it('an unknown key in a score value lists the keys allowed there, not the test operators refused there', () => {
    expect(errorsOfWhen(value({ count: 'x', foo: 1 }))).toEqual([
      { path: `${WHEN}/score/terms/0/value/foo`, message: 'unknown key "foo" in a "count" value; allowed: count, where, within' },
    ]);
    expect(errorsOfWhen(value({ count: 'x', gtee: 1 }))[0]?.message).toBe('unknown key "gtee" in a "count" value; allowed: count, where, within');
  });

  it('"Session" as within points to "session"; months are not a unit and are not taken for minutes', () => {
    expect(errorsOfWhen({ count: 'x', gte: 1, within: 'Session' })).toEqual([
      { path: `${WHEN}/within`, message: '"Session" is not a duration; did you mean "session"?' },
    ]);
    expect(errorsOfWhen({ abandoned: 'x', unless: 'y', after: '1h', within: 'Session' })[0]?.message).toContain('is not a duration; use e.g. "24h"');
    for (const month of ['1M', '2 months', '1mo', '3 Month']) {
      expect(errorsOfWhen({ count: 'x', gte: 1, within: month })).toEqual([
        { path: `${WHEN}/within`, message: `${JSON.stringify(month)} is not a duration: months are not a unit; use days, e.g. "30d"` },
      ]);
    }
    expect(errorsOfWhen({ count: 'x', gte: 1, within: '1 min' })[0]?.message).toContain('use e.g. "1m"');
  });

  it('track shows a t that is not a number with its type, and a Symbol time zone is named', () => {
    const e = createEngine({ rules, now: () => 1000 });
    expect(messageOf(() => e.track('x', {}, { t: '5' as never }))).toBe('seglet: /t: "5" is not a time in ms');
    expect(messageOf(() => e.track('x', {}, { t: {} as never }))).toBe('seglet: /t: an object is not a time in ms');
    expect(messageOf(() => createEngine({ rules, timeZone: Symbol('z') as never }))).toBe('seglet: timeZone Symbol(z) is not a known IANA time zone');
  });
});
