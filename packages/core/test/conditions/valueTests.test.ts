import { describe, expect, it } from 'vitest';
import { harness, one, trackAt } from '../helpers/setup.js';
import { T0 } from '../helpers/fakeClock.js';
import type { PropValue, Test } from '../../src/index.js';

const MISSING = Symbol('missing');

/** Whether an event whose prop `p` has `value` matches `where: { p: test }`. */
function matches(test: Test, value: PropValue | typeof MISSING): boolean {
  const h = harness(one({ count: 'x', where: { p: test }, gte: 1 }));
  trackAt(h, T0, 'x', value === MISSING ? { other: 1 } : { p: value });
  return h.engine.has('s');
}

type Row = [string, Test, PropValue | typeof MISSING, boolean];

const rows: Row[] = [
  // bare primitive = eq; no coercion
  ['bare string', '/a', '/a', true],
  ['bare number', 3, 3, true],
  ['bare number vs numeric string', 3, '3', false],
  ['bare boolean', true, true, true],
  ['bare boolean vs string', true, 'true', false],
  ['eq null on null', { eq: null }, null, true],
  ['eq 0 vs false', { eq: 0 }, false, false],
  ['eq', { eq: 'a' }, 'a', true],
  ['eq mismatch', { eq: 'a' }, 'b', false],
  ['ne on other', { ne: 'a' }, 'b', true],
  ['ne on same', { ne: 'a' }, 'a', false],
  ['ne on missing', { ne: 'a' }, MISSING, true],
  ['ne with different type', { ne: 1 }, '1', true],
  // numeric operators
  ['gt', { gt: 5 }, 6, true],
  ['gt equal', { gt: 5 }, 5, false],
  ['gte equal', { gte: 5 }, 5, true],
  ['lt', { lt: 5 }, 4.5, true],
  ['lt equal', { lt: 5 }, 5, false],
  ['lte equal', { lte: 5 }, 5, true],
  ['gt on numeric string (no coercion)', { gt: 1 }, '5', false],
  ['lt on boolean (no coercion)', { lt: 5 }, true, false],
  ['lt on null', { lt: 5 }, null, false],
  ['lt on missing', { lt: 5 }, MISSING, false],
  ['range both hold', { gte: 1, lt: 5 }, 3, true],
  ['range one fails', { gte: 1, lt: 5 }, 5, false],
  // in
  ['in', { in: ['a', 1, null] }, 1, true],
  ['in null', { in: ['a', 1, null] }, null, true],
  ['in mismatch', { in: ['a', 1] }, '1', false],
  ['in empty never holds', { in: [] }, 'a', false],
  // string operators
  ['prefix', { prefix: '/product/' }, '/product/1', true],
  ['prefix mismatch', { prefix: '/product/' }, '/products', false],
  ['suffix', { suffix: '.pdf' }, '/a/b.pdf', true],
  ['contains', { contains: 'sale' }, 'big-sale-now', true],
  ['contains mismatch case-sensitive', { contains: 'Sale' }, 'big-sale-now', false],
  ['prefix on number', { prefix: '1' }, 12, false],
  ['contains on missing', { contains: 'a' }, MISSING, false],
  // exists
  ['exists true on value', { exists: true }, 'x', true],
  ['exists true on false', { exists: true }, false, true],
  ['exists true on 0', { exists: true }, 0, true],
  ['exists true on null', { exists: true }, null, false],
  ['exists true on missing', { exists: true }, MISSING, false],
  ['exists false on missing', { exists: false }, MISSING, true],
  ['exists false on null', { exists: false }, null, true],
  ['exists false on value', { exists: false }, '', false],
  // arrays: any element, except ne (no element equal) and exists (the array itself)
  ['array eq any element', { eq: 'b' }, ['a', 'b'], true],
  ['array eq no element', { eq: 'c' }, ['a', 'b'], false],
  ['array ne no element equal', { ne: 'c' }, ['a', 'b'], true],
  ['array ne some element equal', { ne: 'a' }, ['a', 'b'], false],
  ['array gt any element', { gt: 10 }, [1, 20], true],
  ['array range on different elements', { gt: 10, lt: 5 }, [1, 20], true],
  ['array in', { in: ['x', 'b'] }, ['a', 'b'], true],
  ['array prefix', { prefix: '/p/' }, ['/q/1', '/p/2'], true],
  ['array glob', { glob: '/p/*' }, ['/q/1', '/p/2'], true],
  ['array with null, eq null', { eq: null }, ['a', null], true],
  ['array exists true', { exists: true }, ['a'], true],
  ['array exists false', { exists: false }, ['a'], false],
  ['array bare primitive', 'b', ['a', 'b'], true],
  // empty array fails every operator but ne and exists: true
  ['empty array eq', { eq: 'a' }, [], false],
  ['empty array eq null', { eq: null }, [], false],
  ['empty array ne', { ne: 'a' }, [], true],
  ['empty array gt', { gt: 0 }, [], false],
  ['empty array lt', { lt: 0 }, [], false],
  ['empty array in', { in: ['a'] }, [], false],
  ['empty array prefix', { prefix: 'a' }, [], false],
  ['empty array glob', { glob: '**' }, [], false],
  ['empty array exists true', { exists: true }, [], true],
  ['empty array exists false', { exists: false }, [], false],
];

describe('tests on a value (spec 3.1)', () => {
  it.each(rows)('%s', (_name, test, value, expected) => {
    expect(matches(test, value)).toBe(expected);
  });
});
