import { validateRules } from '@seglet/core';
import type { CommandResult } from './types.js';
import { fileName, readJson, STDIN } from './readJson.js';
import { formatIssue } from './formatIssue.js';
import { plural } from './loadRules.js';
import { duplicateKeys } from './duplicateKeys.js';

/** Printed with errors: the core returns no warnings for a rule set that has errors. */
export const WARNINGS_LATER = '(warnings are checked once the errors are fixed)';

/** `WARNINGS_LATER` after the warnings that are found with errors too (keys written twice). */
export const OTHER_WARNINGS_LATER = '(other warnings are checked once the errors are fixed)';

/**
 * `seglet check rules.json`: every error with its JSON pointer, then every warning. A key written
 * twice in one object is a warning found in the text (`validateRules` never sees it: `JSON.parse`
 * keeps the last), listed even with errors, since the copy kept may be the faulty one. The others
 * come from `validateRules`, which looks for them only in a valid rule set, so with errors a hint
 * line says they come later. Exit 1 on any error (or an unreadable file / bad JSON), 0 otherwise,
 * warnings included.
 */
export function check(path: string): CommandResult {
  const read = readJson(path, `seglet check ${STDIN}`);
  if (!read.ok) return { output: `${read.message}\n`, code: 1 };
  const twice = duplicateKeys(read.text);
  const result = validateRules(read.value);
  if (!result.ok) {
    const lines = [...result.errors.map((i) => formatIssue('error', i)), ...twice.map((i) => formatIssue('warning', i))];
    const warned = twice.length > 0 ? `, ${plural(twice.length, 'warning')}` : '';
    lines.push(twice.length > 0 ? OTHER_WARNINGS_LATER : WARNINGS_LATER, `${fileName(path)}: ${plural(result.errors.length, 'error')}${warned}`);
    return { output: `${lines.join('\n')}\n`, code: 1 };
  }
  const warnings = [...twice, ...result.warnings];
  const lines = warnings.map((i) => formatIssue('warning', i));
  const segments = Object.keys(result.rules.segments).length;
  const warned = warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : '';
  lines.push(`${fileName(path)}: ok, ${plural(segments, 'segment')}${warned}`);
  return { output: `${lines.join('\n')}\n`, code: 0 };
}
