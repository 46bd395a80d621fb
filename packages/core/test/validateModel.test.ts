import { describe, expect, it } from 'vitest';
import { errorsOfWhen, issue, resultOfWhen, WHEN } from './helpers/validation.js';

const P = WHEN;
const resultOf = resultOfWhen;
const errorsOf = errorsOfWhen;
const error = issue;

const term = { weight: 0.5, value: { count: 'page_view', within: '7d' } };
const score = (model: Record<string, unknown>, test: Record<string, unknown> = { gte: 0.5 }): unknown => ({ score: { terms: [term], ...model }, ...test });

describe('score', () => {
  it('accepts every value kind as a term, bias and both links', () => {
    const terms = [
      { weight: 1, value: { count: '*' } }, { weight: -1, value: { sum: 'purchase', of: 'value', within: 'session' }, cap: 1000 },
      { weight: 1, value: { min: 'x', of: 'v' } }, { weight: 1, value: { max: 'x', of: 'v' } }, { weight: 1, value: { avg: 'x', of: 'v' } },
      { weight: 1, value: { distinct: 'x', of: 'v' } }, { weight: 1, value: { last: 'x', of: 'v', where: { a: 1 } } },
      { weight: 1, value: { since: 'purchase' }, cap: 2592000000 }, { weight: 1, value: { session: 'pageViews' } },
      { weight: 2, value: { context: 'hour' } }, { weight: 3, value: { trait: 'ltv' } },
    ];
    expect(resultOf({ score: { bias: -2, terms, link: 'linear' }, gt: 0 }).ok).toBe(true);
    expect(resultOf({ score: { terms, link: 'logistic' }, gt: 0.5 }).ok).toBe(true);
  });

  it.each([
    [{ score: [term], gt: 0 }, '/score', '"score" needs an object like {"terms": [{"weight": 1'],
    [score({ bias: '1' }), '/score/bias', '"bias" needs a number, got "1"'],
    [score({ link: 'Logistic' }), '/score/link', '"link" must be "logistic" or "linear", got "Logistic"; did you mean "logistic"?'],
    [score({ link: 1 }), '/score/link', 'got 1'],
    [score({ terms: [] }), '/score/terms', '"terms" needs a non-empty array, got an empty array'],
    [score({ terms: undefined }), '/score/terms', '"terms" needs a non-empty array, got nothing'],
    [score({ terms: { a: term } }), '/score/terms', 'got an object'],
    [score({ trems: [] }), '/score/trems', 'unknown key "trems" in a score; did you mean "terms"?'],
    [score({ terms: ['x'] }), '/score/terms/0', 'a score term must be an object like {"weight": 1, "value": {"count": "page_view"}}, got "x"'],
    [score({ terms: [{ value: term.value }] }), '/score/terms/0/weight', '"weight" needs a number, got nothing'],
    [score({ terms: [{ ...term, weight: '2' }] }), '/score/terms/0/weight', 'got "2"'],
    [score({ terms: [{ ...term, cap: 'none' }] }), '/score/terms/0/cap', '"cap" needs a number, got "none"'],
    [score({ terms: [{ ...term, wieght: 1 }] }), '/score/terms/0/wieght', 'did you mean "weight"?'],
    [score({ terms: [{ weight: 1 }] }), '/score/terms/0', 'a score term needs "value"'],
    [score({ terms: [{ weight: 1, value: 'count' }] }), '/score/terms/0/value', '"value" needs an object with one of count, sum'],
    [score({ terms: [{ weight: 1, value: {} }] }), '/score/terms/0/value', '"value" needs exactly one kind, got none'],
    [score({ terms: [{ weight: 1, value: { count: 'x', since: 'y' } }] }), '/score/terms/0/value', 'got count, since'],
    [score({ terms: [{ weight: 1, value: { bucket: 'x' } }] }), '/score/terms/0/value/bucket', '"bucket" cannot be a value'],
    [score({ terms: [{ weight: 1, value: { segment: 'x' } }] }), '/score/terms/0/value/segment', '"segment" cannot be a value'],
    [score({ terms: [{ weight: 1, value: { count: 'x', gte: 3 } }] }), '/score/terms/0/value/gte', 'a value takes no test operator such as "gte"'],
    [score({ terms: [{ weight: 1, value: { count: 'x', witin: '1h' } }] }), '/score/terms/0/value/witin', 'unknown key "witin" in a "count" value; did you mean "within"?'],
    [score({ terms: [{ weight: 1, value: { count: 'x', of: 'v' } }] }), '/score/terms/0/value/of', '"of" is not allowed in a "count" value'],
    [score({ terms: [{ weight: 1, value: { sum: 'x' } }] }), '/score/terms/0/value', '"sum" needs "of"'],
    [score({ terms: [{ weight: 1, value: { count: 'x', within: '1 day' } }] }), '/score/terms/0/value/within', 'use e.g. "1d"'],
    [score({ terms: [{ weight: 1, value: { session: 'visits' } }] }), '/score/terms/0/value/session', 'is not a session metric'],
    [score({ terms: [{ weight: 1, value: { since: 'purchase' } }] }), '/score/terms/0', 'a "since" value is Infinity when no event matched; add "cap"'],
    [score({}, {}), '', '"score" needs a test to compare its value with'],
    [score({}, { gte: 'high' }), '/gte', '"gte" needs a number, got "high"'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(`${P}${path}`, message)]);
  });

  it('a value with two kinds still has its other problems reported, as a condition does', () => {
    const value = { count: 'x', sum: 'y', within: '24hours', foo: 1 };
    const at = `${P}/score/terms/0/value`;
    expect(errorsOf(score({ terms: [{ weight: 1, value }] }))).toEqual([
      error(`${at}/foo`, 'unknown key "foo" in "value"'),
      error(`${at}/within`, '"24hours" is not a duration; use e.g. "24h"'),
      error(at, '"value" needs exactly one kind, got count, sum'),
    ]);
  });
});

describe('cluster', () => {
  const features = [{ value: { count: 'page_view', within: '7d' } }, { value: { since: 'purchase' }, cap: 2592000000 }];
  const model = { features, mean: [3, 1e9], scale: [2, 5e8], centroids: { browser: [-1, 1], buyer: [1, -1], _x: [0, 0] } };
  const cluster = (changes: Record<string, unknown>, test: Record<string, unknown> = { eq: 'buyer' }): unknown => ({ cluster: { ...model, ...changes }, ...test });

  it('accepts a model and tests on its labels', () => {
    expect(resultOf(cluster({})).ok).toBe(true);
    expect(resultOf(cluster({}, { in: ['browser', 'buyer'], ne: '_x', exists: true })).ok).toBe(true);
  });

  it.each([
    [{ cluster: 'kmeans', eq: 'a' }, '/cluster', '"cluster" needs an object with "features", "mean", "scale" and "centroids", got "kmeans"'],
    [cluster({ featrues: [] }), '/cluster/featrues', 'unknown key "featrues" in a cluster; did you mean "features"?'],
    [cluster({ features: [] }), '/cluster/features', '"features" needs a non-empty array'],
    [cluster({ features: [{ weight: 1, value: { count: 'x' } }], mean: [0], scale: [1], centroids: { a: [0] } }, { eq: 'a' }), '/cluster/features/0/weight', 'unknown key "weight" in a cluster feature'],
    [cluster({ features: [3], mean: [0], scale: [1], centroids: { a: [0] } }, { eq: 'a' }), '/cluster/features/0', 'a cluster feature must be an object like {"value": {"count": "page_view"}}, got 3'],
    [cluster({ features: [{}], mean: [0], scale: [1], centroids: { a: [0] } }, { eq: 'a' }), '/cluster/features/0', 'a cluster feature needs "value"'],
    [cluster({ features: [{ value: { since: 'x' } }], mean: [0], scale: [1], centroids: { a: [0] } }, { eq: 'a' }), '/cluster/features/0', 'add "cap"'],
    [cluster({ mean: undefined }), '/cluster/mean', '"mean" needs an array of numbers, one per feature, got nothing'],
    [cluster({ mean: [1] }), '/cluster/mean', '"mean" has 1 numbers but there are 2 features'],
    [cluster({ mean: [1, '2'] }), '/cluster/mean/1', '"mean" needs numbers, got "2"'],
    [cluster({ scale: [1, 0] }), '/cluster/scale/1', '"scale" entries must not be 0'],
    [cluster({ scale: { a: 1 } }), '/cluster/scale', 'got an object'],
    [cluster({ centroids: undefined }), '/cluster/centroids', '"centroids" needs a non-empty object of label to numbers'],
    [cluster({ centroids: {} }), '/cluster/centroids', 'got an object'],
    [cluster({ centroids: [[1, 2]] }), '/cluster/centroids', 'got an array'],
    [cluster({ centroids: { 1: [1, 2] } }, { eq: '1' }), '/cluster/centroids/1', '"1" is not a valid label'],
    [cluster({ centroids: { 'a b': [1, 2] } }, { eq: 'a b' }), '/cluster/centroids/a b', '"a b" is not a valid label'],
    [cluster({ centroids: { buyer: [1] } }), '/cluster/centroids/buyer', 'centroid "buyer" has 1 numbers but there are 2 features'],
    [cluster({ centroids: { buyer: 'x' } }), '/cluster/centroids/buyer', 'centroid "buyer" needs an array of numbers'],
    [cluster({}, { eq: 'buyr' }), '/eq', '"buyr" is not a centroid label; did you mean "buyer"?'],
    [cluster({}, { in: ['buyer', 'whale'] }), '/in/1', '"whale" is not a centroid label'],
    [cluster({}, {}), '', '"cluster" needs a test'],
  ])('%j: error at %j', (when, path, message) => {
    expect(errorsOf(when)).toEqual([error(`${P}${path}`, message)]);
  });

  it('skips the length checks when the features are not an array, and the label checks without centroids', () => {
    const errors = errorsOf({ cluster: { features: 'x', mean: [1], scale: [1], centroids: 'x' }, eq: 'anything' });
    expect(errors.map((e) => e.path)).toEqual([`${P}/cluster/features`, `${P}/cluster/centroids`]);
  });
});
