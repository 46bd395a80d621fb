import { describe, expect, it } from 'vitest';
import { validateRules } from '../src/validateRules.js';

// validateRules reports problems; it never throws, whatever a rule set built in code holds.
describe('validateRules: values that cannot be turned into text', () => {
  it.each([
    ['an object without a prototype', Object.create(null) as unknown],
    ['an object whose toString throws', { toString: (): never => { throw new Error('no'); } }],
  ])('reports "retain"."for" given as %s', (_name, value) => {
    expect(validateRules({ version: 1, retain: { for: value }, segments: {} })).toEqual({
      ok: false,
      errors: [{ path: '/retain/for', message: expect.stringContaining('an object is not a duration') as string }],
    });
  });
});
