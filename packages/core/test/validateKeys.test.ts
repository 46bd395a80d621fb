import { describe, expect, it } from 'vitest';
import { durationMessage } from '../src/validateDuration.js';
import { editDistance, suggest } from '../src/validateKeys.js';
import { at, isPlainObject, show, validateContext } from '../src/validateShared.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0], ['a', '', 1], ['', 'abc', 3], ['within', 'within', 0], ['witihn', 'within', 1], ['withn', 'within', 1],
    ['wihtin', 'within', 1], ['kitten', 'sitting', 3], ['ca', 'abc', 3],
  ])('%j to %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('suggest', () => {
  const keys = ['where', 'within', 'of', 'gte', 'gt'];

  it('finds near typos, ignoring case, and nothing for far words', () => {
    const ctx = validateContext();
    expect(suggest(ctx, 'witihn', keys)).toBe('within');
    expect(suggest(ctx, 'WHERE', keys)).toBe('where');
    expect(suggest(ctx, 'gtee', keys)).toBe('gte');
    expect(suggest(ctx, 'o', keys)).toBe('of');
    expect(suggest(ctx, 'elephant', keys)).toBeUndefined();
  });

  it('does not search for words too long to be a key', () => {
    expect(suggest(validateContext(), 'w'.repeat(100_000), keys)).toBeUndefined();
  });

  it('stops once the budget of searches is spent', () => {
    const ctx = validateContext();
    ctx.suggestions = 1;
    expect(suggest(ctx, 'witihn', keys)).toBe('within');
    expect(suggest(ctx, 'witihn', keys)).toBeUndefined();
  });
});

describe('helpers', () => {
  it('escapes JSON-pointer tokens as RFC 6901 says', () => {
    expect(at('', 'a')).toBe('/a');
    expect(at('/x', 'a/b~c')).toBe('/x/a~1b~0c');
    expect(at('/x', '~1')).toBe('/x/~01');
    expect(at('/x', 3)).toBe('/x/3');
  });

  it('knows plain objects from other values', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject(new Map())).toBe(false);
    expect(isPlainObject(Object.create({}))).toBe(false);
  });

  it('shows values briefly', () => {
    expect(show('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(show(Symbol('s'))).toBe('a symbol');
    expect(show(10n)).toBe('a bigint');
  });

  it('suggests the intended spelling of a duration', () => {
    expect(durationMessage('24hours')).toMatch(/^"24hours" is not a duration; use e.g. "24h"/);
    expect(durationMessage(' 3 Days ')).toContain('use e.g. "3d"');
    expect(durationMessage('10 H')).toContain('use e.g. "10h"');
    expect(durationMessage('1.5h')).toContain('use e.g. "24h"');
    expect(durationMessage(-1)).toMatch(/^-1 is not a duration/);
  });
});
