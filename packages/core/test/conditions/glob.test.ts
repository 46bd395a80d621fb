import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/glob.js';
import { globMatch } from '../model/glob.js';
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
  // a character outside the BMP (two UTF-16 units) is one character, in the pattern as in the value
  ['/😀/*', '/😀/x', true],
  ['/😀', '/😀', true],
  ['/?', '/😀', true],
  ['/??', '/😀', false],
  ['*😀', 'a😀', true],
  ['😀**', '😀/a', true],
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

  it('equals the model on random patterns and values (emoji, lone surrogates, / and stars)', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '?', 'é', '😀', '\ud83d', '\ude00');
    const text = fc.array(alphabet, { maxLength: 8 }).map((xs) => xs.join(''));
    fc.assert(fc.property(text, fc.array(text, { minLength: 1, maxLength: 6 }), (pattern, values) => {
      const test = compileGlob(pattern);
      for (const v of values) expect(test(v), `${JSON.stringify(pattern)} on ${JSON.stringify(v)}`).toBe(globMatch(pattern, v));
    }), { numRuns: 2000 });
  });

  it('a lone surrogate in a pattern is a character of its own, not half of a value\'s emoji', () => {
    for (const [pattern, value] of [['\ud83d**', '😀'], ['\ud83d', '😀'], ['*\ude00', '😀'], ['a\ud83d**', 'a😀b']]) {
      expect(compileGlob(pattern as string)(value as string)).toBe(false);
      expect(globMatch(pattern as string, value as string)).toBe(false);
    }
    expect(compileGlob('\ud83d**')('\ud83dx')).toBe(true);
  });

  it('a hostile pattern does not hang the engine (no backtracking blow-up)', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b';
    expect(glob(pattern, 'a'.repeat(500))).toBe(false);
    expect(glob('**a**a**a**a**a**a**a**a**a**a**a**a**b', 'a/'.repeat(250))).toBe(false);
  });
});
