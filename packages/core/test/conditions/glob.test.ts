import { describe, expect, it } from 'vitest';
import { harness, one, trackAt } from '../helpers/setup.js';
import { T0 } from '../helpers/fakeClock.js';

function glob(pattern: string, value: string): boolean {
  const h = harness(one({ count: 'page_view', where: { path: { glob: pattern } }, gte: 1 }));
  trackAt(h, T0, 'page_view', { path: value });
  return h.engine.has('s');
}

const rows: [string, string, boolean][] = [
  ['/product/*', '/product/42', true],
  ['/product/*', '/product/', true],
  ['/product/*', '/product/42/reviews', false],
  ['/product/*', '/product', false],
  ['/*/reviews', '/42/reviews', true],
  ['/*/reviews', '/42/x/reviews', false],
  ['*.pdf', 'a.pdf', true],
  ['*.pdf', 'dir/a.pdf', false],
  ['**.pdf', 'dir/a.pdf', true],
  ['/product/**', '/product/a/b/c', true],
  ['/product/**', '/product/', true],
  ['/product/**', '/productx', false],
  ['**', '', true],
  ['*', '', true],
  ['**/x', '/x', true],
  ['**/x', 'x', false],
  ['/a/**/z', '/a/z', false],
  ['/a/**/z', '/a//z', true],
  ['/a/**/z', '/a/b/c/z', true],
  ['/p?', '/pa', true],
  ['/p?', '/p', false],
  ['/p?', '/pab', false],
  ['/p?', '/p/', false],
  ['/??/', '/ab/', true],
  // a run of three or more * means **
  ['/a/***', '/a/b/c', true],
  ['/a/****', '/a/b/c', true],
  ['/a/***/z', '/a/b/c/z', true],
  // every other character is literal
  ['a.c', 'abc', false],
  ['a.c', 'a.c', true],
  ['[ab]', 'a', false],
  ['[ab]', '[ab]', true],
  ['a+', 'aa', false],
  ['(x|y)', '(x|y)', true],
  ['^a$', '^a$', true],
  ['\\d', '\\d', true],
  ['\\d', '1', false],
  ['{a,b}', 'a', false],
  // anchored at both ends
  ['/cart', '/cart/x', false],
  ['cart', '/cart', false],
  // a non-ASCII BMP character is one character for ?
  ['/caf?', '/café', true],
];

describe('glob', () => {
  it.each(rows)('%j matches %j: %s', (pattern, value, expected) => {
    expect(glob(pattern, value)).toBe(expected);
  });

  it('is false on non-strings', () => {
    const h = harness(one({ count: 'x', where: { n: { glob: '*' } }, gte: 1 }));
    trackAt(h, T0, 'x', { n: 5 });
    trackAt(h, T0 + 1, 'x', { n: true });
    trackAt(h, T0 + 2, 'x', { n: null });
    expect(h.engine.has('s')).toBe(false);
  });

  it('a hostile pattern does not hang the engine (no backtracking blow-up)', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b';
    expect(glob(pattern, 'a'.repeat(500))).toBe(false);
    expect(glob('**a**a**a**a**a**a**a**a**a**a**a**a**b', 'a/'.repeat(250))).toBe(false);
  });
});
