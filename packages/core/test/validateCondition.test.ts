import { describe, expect, it } from 'vitest';
import type { Issue } from '../src/types.js';
import { validateRules } from '../src/validateRules.js';

const P = '/segments/s/when';

function errorsOf(when: unknown): Issue[] {
  const result = validateRules({ version: 1, segments: { s: { when }, other: { when: { count: 'x', gte: 1 } } } });
  if (result.ok) throw new Error('expected the rule set to be invalid');
  return result.errors;
}

function isValid(when: unknown): boolean {
  const result = validateRules({ version: 1, segments: { s: { when }, other: { when: { count: 'x', gte: 1 } } } });
  if (!result.ok) console.log(JSON.stringify(result.errors));
  return result.ok;
}

const error = (path: string, message: string): unknown => ({ path, message: expect.stringContaining(message) as string });

describe('conditions: every kind accepts its documented form', () => {
  it.each([
    { all: [] }, { any: [] }, { all: [{ count: 'a', gte: 1 }, { any: [{ not: { segment: 'other' } }] }] },
    { count: 'page_view', gte: 3 }, { count: '*', within: 'session', lt: 2 },
    { count: 'page_view', where: { path: { prefix: '/product/' }, device: 'mobile' }, within: '24h', gte: 3 },
    { sum: 'purchase', of: 'value', within: '30d', gte: 100 }, { min: 'x', of: 'p', lte: 1 }, { max: 'x', of: 'p', gt: 1 },
    { avg: 'x', of: 'p', ne: null }, { distinct: 'view_item', of: 'item_id', gte: 5 }, { last: 'web_vital', of: 'rating', eq: 'poor' },
    { since: 'purchase', gte: '7d' }, { since: 'purchase', lt: 3600000, where: { value: { gte: 50 } } },
    { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' },
    { abandoned: 'add_to_cart', where: { value: { gt: 0 } }, unless: { event: 'purchase', where: { currency: 'EUR' } }, after: 0, within: '7d' },
    { session: 'pageViews', gte: 2 }, { session: 'events', gte: 2 }, { session: 'number', eq: 1 }, { session: 'duration', gte: '5m' },
    { context: 'device', eq: 'mobile' }, { context: 'utm_source', exists: true }, { trait: 'plan', in: ['pro', 'team'] },
    { segment: 'other' }, { bucket: 'banner-test', lt: 0.5 }, { bucket: '', gte: 0 },
  ])('accepts %j', (when) => {
    expect(isValid(when)).toBe(true);
  });
});

describe('conditions: shape', () => {
  it.each([
    [null, P, 'a condition must be an object such as {"count": "page_view", "gte": 1}, got null'],
    [[{ count: 'x', gte: 1 }], P, 'got an array'],
    ['page_view', P, 'got "page_view"'],
    [{}, P, 'a condition needs exactly one kind: all, any, not, count'],
    [{ gte: 3 }, P, 'a condition needs exactly one kind'],
    [{ count: 'x', since: 'y', gte: 1 }, P, 'a condition takes exactly one kind, got count, since; combine conditions with "all" or "any"'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(path, message)]);
  });

  it('suggests the kind when it is misspelt', () => {
    expect(errorsOf({ cuont: 'page_view', gte: 3 })).toEqual([
      error(`${P}/cuont`, 'unknown key "cuont" in a condition; did you mean "count"?'),
      error(P, 'a condition needs exactly one kind'),
    ]);
  });

  it('reports the other mistakes of a condition whose kind is misspelt or doubled in the same pass', () => {
    expect(errorsOf({ cuont: 'page_view', within: '24hours', gte: 3, where: { path: { prefx: '/' } }, zzz: 1 })).toEqual([
      error(`${P}/cuont`, 'did you mean "count"?'),
      error(`${P}/zzz`, 'unknown key "zzz" in a condition'),
      error(`${P}/where/path/prefx`, 'did you mean "prefix"?'),
      error(`${P}/within`, '"24hours" is not a duration'),
      error(P, 'a condition needs exactly one kind'),
    ]);
    expect(errorsOf({ count: 'x', sum: 'y', of: 7, within: 'session', after: 'soon', gte: 1 })).toEqual([
      error(`${P}/of`, '"of" must be a string naming a prop, got 7'),
      error(`${P}/after`, '"soon" is not a duration'),
      error(P, 'a condition takes exactly one kind, got count, sum'),
    ]);
  });

  it.each([
    [{ count: 'x', witihn: '1h', gte: 1 }, `${P}/witihn`, 'unknown key "witihn" in a "count" condition; did you mean "within"?'],
    [{ count: 'x', gte: 1, zzzzzz: 1 }, `${P}/zzzzzz`, 'unknown key "zzzzzz" in a "count" condition; allowed: count, where, within, eq'],
    [{ count: 'x', gte: 1, ['k'.repeat(100)]: 1 }, `${P}/${'k'.repeat(100)}`, `unknown key "${'k'.repeat(40)}…"`],
    [{ count: 'x', gte: 1, 'a/b': 1 }, `${P}/a~1b`, 'unknown key "a/b"'],
    [{ count: 'x', gte: 1, of: 'v' }, `${P}/of`, '"of" is not allowed in a "count" condition'],
    [{ since: 'x', within: '1h', gte: 1 }, `${P}/within`, '"within" is not allowed in a "since" condition'],
    [{ segment: 'other', eq: true }, `${P}/eq`, '"eq" is not allowed in a "segment" condition'],
    [{ all: [], gte: 1 }, `${P}/gte`, '"gte" is not allowed in an "all" condition'],
    [{ abandoned: 'x', unless: 'y', after: '1h', gte: 1 }, `${P}/gte`, '"gte" is not allowed in an "abandoned" condition'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(path, message)]);
  });

  it.each([
    { count: 'x' }, { sum: 'x', of: 'v' }, { since: 'x' }, { session: 'events' }, { context: 'device' }, { trait: 'plan' },
    { bucket: 'salt' },
  ])('requires a test operator on %j', (when) => {
    const kind = Object.keys(when)[0]!;
    expect(errorsOf(when)).toEqual([error(P, `"${kind}" needs a test to compare its value with, e.g. "gte": 1`)]);
  });
});

describe('conditions: boolean kinds', () => {
  it.each([
    [{ all: { count: 'x', gte: 1 } }, `${P}/all`, '"all" needs an array of conditions, got an object'],
    [{ any: 'x' }, `${P}/any`, '"any" needs an array of conditions, got "x"'],
    [{ not: [{ count: 'x', gte: 1 }] }, `${P}/not`, 'a condition must be an object'],
    [{ all: [{ count: 'x', gte: 1 }, { count: 'x' }] }, `${P}/all/1`, '"count" needs a test'],
    [{ any: [{ not: { count: 'Bad Type', gte: 1 } }] }, `${P}/any/0/not/count`, '"Bad Type" is not an event type'],
    // eslint-disable-next-line no-sparse-arrays -- a hole, as only code (never JSON) can make
    [{ all: [, { count: 'x', gte: 1 }] }, `${P}/all/0`, 'a condition must be an object such as {"count": "page_view", "gte": 1}, got nothing'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(path, message)]);
  });
});

describe('conditions: kind values and parameters', () => {
  it.each([
    [{ count: 'Page View', gte: 1 }, `${P}/count`, '"Page View" is not an event type; use 1 to 64 lowercase letters'],
    [{ count: 'a'.repeat(65), gte: 1 }, `${P}/count`, 'is not an event type'],
    [{ count: 3, gte: 1 }, `${P}/count`, 'an event type must be a string such as "page_view" or "*", got 3'],
    [{ count: 'x', within: '24hours', gte: 1 }, `${P}/within`, '"24hours" is not a duration; use e.g. "24h"'],
    [{ count: 'x', within: 'Session', gte: 1 }, `${P}/within`, '"Session" is not a duration'],
    [{ sum: 'x', gte: 1 }, P, '"sum" needs "of": the prop to read'],
    [{ last: 'x', of: 3, eq: 1 }, `${P}/of`, '"of" must be a string naming a prop, got 3'],
    [{ distinct: 'x', of: 'item id', gte: 1 }, `${P}/of`, '"item id" is not a valid name'],
    [{ avg: 'x', of: 'constructor', gte: 1 }, `${P}/of`, '"constructor" is not allowed as a name'],
    [{ min: 'x', of: 'v', where: [], gte: 1 }, `${P}/where`, '"where" needs an object mapping prop names to tests'],
    [{ session: 'pageviews', gte: 1 }, `${P}/session`, '"pageviews" is not a session metric; use one of pageViews, events, duration, number; did you mean "pageViews"?'],
    [{ session: 'clicks', gte: 1 }, `${P}/session`, '"clicks" is not a session metric; use one of pageViews, events, duration, number'],
    [{ session: 1, gte: 1 }, `${P}/session`, '1 is not a session metric'],
    [{ context: 5, eq: 1 }, `${P}/context`, '"context" must be a string naming a prop, got 5'],
    [{ trait: '', eq: 1 }, `${P}/trait`, '"" is not a valid name'],
    [{ segment: 7 }, `${P}/segment`, '"segment" needs the id of another segment, got 7'],
    [{ bucket: null, lt: 0.5 }, `${P}/bucket`, '"bucket" needs a salt string'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(path, message)]);
  });
});

describe('conditions: abandoned', () => {
  const base = { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' };
  it.each([
    [{ ...base, abandoned: 'Add To Cart' }, `${P}/abandoned`, 'is not an event type'],
    [{ abandoned: 'x', after: '1h' }, P, '"abandoned" needs "unless"'],
    [{ abandoned: 'x', unless: 'y' }, P, '"abandoned" needs "after"'],
    [{ ...base, after: '30 min' }, `${P}/after`, '"30 min" is not a duration; use e.g. "30m"'],
    [{ ...base, within: 'session' }, `${P}/within`, '"within" of "abandoned" must be a duration such as "7d", not "session"'],
    [{ ...base, within: '7 days' }, `${P}/within`, '"7 days" is not a duration; use e.g. "7d"'],
    [{ ...base, unless: 5 }, `${P}/unless`, '"unless" needs an event type such as "purchase" or {"event": "purchase"'],
    [{ ...base, unless: 'Purchase!' }, `${P}/unless`, '"Purchase!" is not an event type'],
    [{ ...base, unless: { where: { a: 1 } } }, `${P}/unless`, '"unless" needs "event"'],
    [{ ...base, unless: { event: 1 } }, `${P}/unless/event`, 'an event type must be a string'],
    [{ ...base, unless: { event: 'p', wehre: {} } }, `${P}/unless/wehre`, 'unknown key "wehre" in "unless"; did you mean "where"?'],
    [{ ...base, unless: { event: 'p', where: { a: {} } } }, `${P}/unless/where/a`, 'empty test'],
    [{ ...base, where: { a: [] } }, `${P}/where/a`, 'a test is a value or an object of operators'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(path, message)]);
  });
});

describe('conditions: nesting depth', () => {
  function nest(levels: number, kind: 'not' | 'all' | 'any'): unknown {
    let condition: unknown = { count: 'x', gte: 1 };
    for (let i = 1; i < levels; i++) condition = kind === 'not' ? { not: condition } : { [kind]: [condition] };
    return condition;
  }
  const pathAt = (level: number, step: string): string => P + step.repeat(level - 1);

  it('accepts 32 levels', () => {
    expect(isValid(nest(32, 'not'))).toBe(true);
    expect(isValid(nest(32, 'all'))).toBe(true);
  });

  it.each([33, 64, 10_000])('rejects %i levels with one error at level 33, without overflowing the stack', (levels) => {
    expect(errorsOf(nest(levels, 'not'))).toEqual([error(pathAt(33, '/not'), 'conditions nest more than 32 levels deep')]);
    expect(errorsOf(nest(levels, 'any'))).toEqual([error(pathAt(33, '/any/0'), 'conditions nest more than 32 levels deep')]);
  });

  it('stops on an object graph that reuses conditions to reach more than a million', () => {
    // Only code can build this (JSON cannot share objects); it must not hang the validator.
    let condition: unknown = { all: [] };
    for (let i = 0; i < 3; i++) condition = { all: Array.from({ length: 1000 }, () => condition) };
    const errors = errorsOf(condition);
    expect(errors).toEqual([error(`${P}/all/0/all/998/all/999`, 'a rule set holds at most 1000000 conditions')]);
  });

  it('survives a cyclic object graph', () => {
    const cyclic: { not?: unknown } = {};
    cyclic.not = cyclic;
    expect(errorsOf(cyclic)).toEqual([error(pathAt(33, '/not'), 'conditions nest more than 32 levels deep')]);
  });
});
