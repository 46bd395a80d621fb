import { describe, expect, it } from 'vitest';
import { bucketOf, createEngine, SegletError } from '../src/index.js';
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

describe('explain texts and the avg near the largest double', () => {
  const ruleSet = (segments: Record<string, unknown>) => ({ version: 1, segments: Object.fromEntries(Object.entries(segments).map(([id, when]) => [id, { when }])) }) as RuleSet;

  it('"never" only for since; a sum past the largest double is Infinity; a NaN score is NaN', () => {
    const e = createEngine({
      rules: ruleSet({
        s: { sum: 'p', of: 'v', gte: 1 },
        n: { since: 'q', gte: 1 },
        z: { score: { terms: [{ weight: 1e308, value: { count: 'p' } }, { weight: -1e308, value: { count: 'p' } }], link: 'linear' }, gte: 0 },
      }),
      now: () => 1,
    });
    e.track('p', { v: 1.7e308 });
    e.track('p', { v: 1.7e308 });
    expect(e.explain('s').condition.text).toBe('sum of v of p = Infinity; needs gte 1');
    expect(e.explain('n').condition.text).toBe('since of q = never; needs gte 1');
    expect(e.explain('z').condition.text).toMatch(/ = NaN; needs gte 0$/);
  });

  it('a bucket value is truncated to 4 digits, never rounded up past what its test compares', () => {
    let id = 0;
    while (!(bucketOf('salt', `u${id}`) < 0.5 && bucketOf('salt', `u${id}`) >= 0.49995)) id++;
    const e = createEngine({ rules: ruleSet({ b: { bucket: 'salt', lt: 0.5 } }), anonymousId: `u${id}`, now: () => 1 });
    expect(e.explain('b').condition.text).toBe('bucket "salt" = 0.4999; needs lt 0.5');
  });
});

describe('avg near the largest double', () => {
  it('the average of [1.7e308, 1.7e308] is 1.7e308, not Infinity, and leaves exactly as it came', () => {
    let now = 1;
    const e = createEngine({ rules: { version: 1, segments: { a: { when: { avg: 'p', of: 'v', within: '1m', lt: 1.7976931348623157e308 } } } } as RuleSet, now: () => now });
    e.track('p', { v: 1.7e308 });
    e.track('p', { v: 1.7e308 });
    expect(e.explain('a').condition.value).toBe(1.7e308);
    expect(e.has('a')).toBe(true);
    now = 30_000;
    e.track('p', { v: 1 });
    expect(Math.abs((e.explain('a').condition.value as number) / ((1.7e308 / 3) * 2) - 1)).toBeLessThan(1e-15);
    now = 61_000;
    e.tick();
    expect(e.explain('a').condition.value).toBe(1);
  });
});
