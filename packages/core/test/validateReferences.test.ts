import { describe, expect, it } from 'vitest';
import type { Issue } from '../src/types.js';
import { validateRules } from '../src/validateRules.js';

function resultOf(whens: Record<string, unknown>): ReturnType<typeof validateRules> {
  const segments: Record<string, unknown> = {};
  for (const [id, when] of Object.entries(whens)) segments[id] = { when };
  return validateRules({ version: 1, segments });
}

function errorsOf(whens: Record<string, unknown>): Issue[] {
  const result = resultOf(whens);
  if (result.ok) throw new Error('expected the rule set to be invalid');
  return result.errors;
}

const ref = (id: string): unknown => ({ segment: id });
const leaf = { count: 'x', gte: 1 };

describe('segment references', () => {
  it('accepts references to earlier and later segments, and a diamond', () => {
    expect(resultOf({ a: { all: [ref('b'), ref('c')] }, b: ref('d'), c: { not: ref('d') }, d: leaf }).ok).toBe(true);
  });

  it('accepts a chain of 2,000 references without exhausting the stack', () => {
    const whens: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) whens[`s${i}`] = i === 1999 ? leaf : ref(`s${i + 1}`);
    expect(resultOf(whens).ok).toBe(true);
  });

  it('reports an unknown id, with a did-you-mean', () => {
    expect(errorsOf({ 'high-intent': leaf, a: { any: [ref('hi-intent'), ref('nothing-like-it')] } })).toEqual([
      { path: '/segments/a/when/any/0/segment', message: 'unknown segment "hi-intent"; did you mean "high-intent"?' },
      { path: '/segments/a/when/any/1/segment', message: 'unknown segment "nothing-like-it"' },
    ]);
  });

  it('reports a segment that refers to itself', () => {
    expect(errorsOf({ a: { all: [leaf, ref('a')] } })).toEqual([
      { path: '/segments/a/when/all/1/segment', message: 'segments refer to each other in a cycle: a -> a; remove one of these references' },
    ]);
  });

  it('reports a 2-cycle once, at the reference that closes it', () => {
    expect(errorsOf({ a: ref('b'), b: { not: ref('a') } })).toEqual([
      { path: '/segments/b/when/not/segment', message: expect.stringContaining('cycle: a -> b -> a') as string },
    ]);
  });

  it('reports a 3-cycle, and only the segments on it', () => {
    expect(errorsOf({ entry: ref('a'), a: ref('b'), b: ref('c'), c: { any: [leaf, ref('a')] } })).toEqual([
      { path: '/segments/c/when/any/1/segment', message: expect.stringContaining('cycle: a -> b -> c -> a') as string },
    ]);
  });

  it('reports two separate cycles', () => {
    const errors = errorsOf({ a: ref('b'), b: ref('a'), c: ref('c') });
    expect(errors.map((e) => e.message.split(';')[0])).toEqual([
      'segments refer to each other in a cycle: a -> b -> a', 'segments refer to each other in a cycle: c -> c',
    ]);
  });

  it('stops looking for suggestions after 200, so many unknown references stay cheap', () => {
    const whens: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) whens[`seg${i}`] = ref(`seg${i}x`);
    const errors = errorsOf(whens);
    expect(errors).toHaveLength(300);
    expect(errors[199]!.message).toBe('unknown segment "seg199x"; did you mean "seg199"?');
    expect(errors[200]!.message).toBe('unknown segment "seg200x"');
  });
});
