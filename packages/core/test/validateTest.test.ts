import { describe, expect, it } from 'vitest';
import { errorsOfWhen, issue, resultOfWhen, WHEN } from './helpers/validation.js';

const P = WHEN;
const resultOf = resultOfWhen;
const errorsOf = errorsOfWhen;
const error = issue;

describe('tests on a condition', () => {
  it.each([
    { eq: 'a' }, { eq: 1 }, { eq: true }, { eq: null }, { ne: 'a' }, { gt: 1.5 }, { gte: -3 }, { lt: 0 }, { lte: 1e9 },
    { in: [] }, { in: ['a', 1, false, null] }, { prefix: '/p/' }, { suffix: '.pdf' }, { contains: '' }, { glob: '/blog/**/*.html' },
    { exists: true }, { exists: false }, { gte: 1, lt: 5, ne: 3 },
  ])('accepts %j', (test) => {
    expect(resultOf({ trait: 'a', ...test }).ok).toBe(true);
  });

  it.each([
    [{ eq: [1] }, 'eq', '"eq" needs a string, a finite number, true, false or null, got an array'],
    [{ ne: { a: 1 } }, 'ne', '"ne" needs a string, a finite number, true, false or null, got an object'],
    [{ eq: Number.NaN }, 'eq', 'got NaN'],
    [{ gt: '3' }, 'gt', '"gt" needs a number, got "3"'],
    [{ gte: null }, 'gte', '"gte" needs a number, got null'],
    [{ lt: Infinity }, 'lt', '"lt" needs a number, got Infinity'],
    [{ lte: true }, 'lte', '"lte" needs a number, got true'],
    [{ in: 'a' }, 'in', '"in" needs an array of values, e.g. ["a", "b"], got "a"'],
    [{ in: ['a', ['b']] }, 'in/1', '"in" needs a string, a finite number, true, false or null, got an array'],
    [{ prefix: 1 }, 'prefix', '"prefix" needs a string, got 1'],
    [{ suffix: null }, 'suffix', '"suffix" needs a string, got null'],
    [{ contains: ['a'] }, 'contains', '"contains" needs a string, got an array'],
    [{ glob: {} }, 'glob', '"glob" needs a string, got an object'],
    [{ exists: 'yes' }, 'exists', '"exists" needs true or false, got "yes"'],
    [{ eq: 1, gtee: 1 }, 'gtee', 'unknown key "gtee" in a "trait" condition; did you mean "gte"?'],
  ])('%j: error at its operator', (test, op, message) => {
    expect(errorsOf({ trait: 'a', ...test })).toEqual([error(`${P}/${op}`, message)]);
  });
});

describe('durations as operands of since and session duration', () => {
  it.each([
    { since: 'x', gte: '7d' }, { since: 'x', lt: 60000 }, { since: 'x', eq: '1h', ne: 0 }, { since: 'x', in: [1, 'a'] },
    { session: 'duration', gte: '5m', lte: 3600000 },
  ])('accepts %j', (when) => {
    expect(resultOf(when)).toEqual(expect.objectContaining({ ok: true, warnings: [] }));
  });

  it.each([
    [{ since: 'x', gte: '24hours' }, 'gte', '"24hours" is not a duration; use e.g. "24h"'],
    [{ since: 'x', eq: 'soon' }, 'eq', '"soon" is not a duration; use e.g. "24h"'],
    [{ since: 'x', lt: '2 weeks' }, 'lt', '"2 weeks" is not a duration; use e.g. "2w"'],
    [{ since: 'x', gt: '5 secs' }, 'gt', 'use e.g. "5s"'],
    [{ since: 'x', gt: '5 MS' }, 'gt', 'use e.g. "5ms"'],
    [{ since: 'x', gt: '5 fortnights' }, 'gt', 'use e.g. "24h"'],
    [{ since: 'x', gte: true }, 'gte', '"gte" needs a number or a duration like "7d", got true'],
    [{ session: 'duration', gte: '5 minutes' }, 'gte', '"5 minutes" is not a duration; use e.g. "5m"'],
    [{ session: 'pageViews', gte: '5m' }, 'gte', '"gte" needs a number, got "5m"'],
    [{ count: 'x', gte: '1h' }, 'gte', '"gte" needs a number, got "1h"'],
  ])('%j: error at its operator', (when, op, message) => {
    expect(errorsOf(when)).toEqual([error(`${P}/${op}`, message)]);
  });
});

describe('where', () => {
  const count = (where: unknown): unknown => ({ count: 'page_view', where, gte: 1 });

  it.each([
    {}, { path: '/home' }, { path: null }, { 'item_id': 3, 'ga:x.y-z': true }, { path: { prefix: '/p/', ne: '/p/x' } },
    { tags: { in: [] } },
  ])('accepts %j', (where) => {
    expect(resultOf(count(where)).ok).toBe(true);
  });

  it.each([
    ['x', '/where', '"where" needs an object mapping prop names to tests, e.g. {"path": {"prefix": "/product/"}}, got "x"'],
    [null, '/where', 'got null'],
    [{ 'bad name': 1 }, '/where/bad name', '"bad name" is not a valid prop name'],
    [{ ['p'.repeat(65)]: 1 }, `/where/${'p'.repeat(65)}`, 'is not a valid prop name'],
    [{ 'a/b': 1 }, '/where/a~1b', '"a/b" is not a valid prop name'],
    [{ path: {} }, '/where/path', 'empty test; give at least one operator (eq, ne, gt'],
    [{ path: ['a'] }, '/where/path', 'a test is a value or an object of operators such as {"eq": "x"}, got an array'],
    [{ path: Number.POSITIVE_INFINITY }, '/where/path', 'got Infinity'],
    [{ path: { prefx: '/p' } }, '/where/path/prefx', 'unknown key "prefx" in a test; did you mean "prefix"?'],
    [{ value: { gte: '10' } }, '/where/value/gte', '"gte" needs a number, got "10"'],
    [{ value: { in: [{}] } }, '/where/value/in/0', 'got an object'],
  ])('%j: error at %j', (where, path, message) => {
    expect(errorsOf(count(where))).toEqual([error(`${P}${path}`, message)]);
  });
});
