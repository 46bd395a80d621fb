import { validateRules } from '@seglet/core';
import type { CommandResult } from './types.js';
import { fileName, readJson } from './readJson.js';
import { formatIssue } from './formatIssue.js';
import { plural } from './loadRules.js';

/** Printed with errors: the core returns no warnings for a rule set that has errors. */
export const WARNINGS_LATER = '(warnings are checked once the errors are fixed)';

/**
 * `seglet check rules.json`: every error with its JSON pointer; once the rule set has no errors,
 * every warning. `validateRules` looks for warnings only in a valid rule set, so with errors a
 * hint line says the warnings come later. Exit 1 on any error (or an unreadable file / bad JSON),
 * 0 otherwise, warnings included.
 */
export function check(path: string): CommandResult {
  const read = readJson(path);
  if (!read.ok) return { output: `${read.message}\n`, code: 1 };
  const result = validateRules(read.value);
  if (!result.ok) {
    const lines = result.errors.map((i) => formatIssue('error', i));
    lines.push(WARNINGS_LATER, `${fileName(path)}: ${plural(result.errors.length, 'error')}`);
    return { output: `${lines.join('\n')}\n`, code: 1 };
  }
  const lines = result.warnings.map((i) => formatIssue('warning', i));
  const segments = Object.keys(result.rules.segments).length;
  const warned = result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')}` : '';
  lines.push(`${fileName(path)}: ok, ${plural(segments, 'segment')}${warned}`);
  return { output: `${lines.join('\n')}\n`, code: 0 };
}
