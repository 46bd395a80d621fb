import { describe, expect, it } from 'vitest';
import { duplicateKeys } from '../src/duplicateKeys.js';

const twice = (key: string): string => `"${key}" is written more than once in this object; JSON keeps the last one and drops the others`;

describe('duplicateKeys', () => {
  it('names each repeated key with its JSON pointer, escaped, at any depth', () => {
    const text = '{"a":1,"b":{"x/y":[{"~":1,"~":2}],"x/y":0},"a":{"a":1},"a":3}';
    expect(duplicateKeys(text)).toEqual([
      { path: '/b/x~1y/0/~0', message: twice('~') },
      { path: '/b/x~1y', message: twice('x/y') },
      { path: '/a', message: twice('a') },
      { path: '/a', message: twice('a') },
    ]);
  });

  it('compares keys as JSON reads them and finds none where there are none', () => {
    expect(duplicateKeys('{"a":1,"\\u0061":2}')).toEqual([{ path: '/a', message: twice('a') }]);
    for (const text of ['[{"a":1},{"a":1}]', '{"a":{"a":{}},"b":["a","a"],"c":"\\"a\\":1,\\"a\\""}', '{}', '[]', '"a"', '1']) {
      expect(duplicateKeys(text), text).toEqual([]);
    }
  });

  it('reads a deeply nested document without running out of stack', () => {
    expect(duplicateKeys(`${'['.repeat(200_000)}{"a":1,"a":2}${']'.repeat(200_000)}`)).toHaveLength(1);
  });
});
