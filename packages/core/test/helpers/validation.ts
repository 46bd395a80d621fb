// Shared by the validateRules tests: run a rule set (or one `when`) and read back its problems.
import { expect } from 'vitest';
import type { Issue } from '../../src/types.js';
import { validateRules } from '../../src/validateRules.js';

/** The JSON pointer of the `when` of the one-segment rule sets built by `resultOfWhen`. */
export const WHEN = '/segments/s/when';

/** Validates a rule set whose only segment `s` has this `when`. */
export function resultOfWhen(when: unknown): ReturnType<typeof validateRules> {
  return validateRules({ version: 1, segments: { s: { when } } });
}

/** The errors of a rule set that must be invalid. */
export function errorsOfRules(input: unknown): Issue[] {
  const result = validateRules(input);
  if (result.ok) throw new Error('expected the rule set to be invalid');
  return result.errors;
}

/** The errors of a one-segment rule set with this `when`, which must be invalid. */
export const errorsOfWhen = (when: unknown): Issue[] => errorsOfRules({ version: 1, segments: { s: { when } } });

/** Matches an issue at `path` whose message contains `message`. */
export const issue = (path: string, message: string): unknown => ({ path, message: expect.stringContaining(message) as string });
