import { validateRules } from '@seglet/core';
import type { CommandResult } from './types.js';
import { readJson } from './readJson.js';
import { formatIssue } from './formatIssue.js';
import { plural } from './loadRules.js';

/**
 * `seglet check rules.json`: every validation problem with its JSON pointer, errors first, then
 * warnings. Exit 1 on any error (or an unreadable file / bad JSON), 0 otherwise, warnings included.
 */
export function check(path: string): CommandResult {
  const read = readJson(path);
  if (!read.ok) return { output: `${read.message}\n`, code: 1 };
  const result = validateRules(read.value);
  if (!result.ok) {
    const lines = result.errors.map((i) => formatIssue('error', i));
    lines.push(`${path}: ${plural(result.errors.length, 'error')}`);
    return { output: `${lines.join('\n')}\n`, code: 1 };
  }
  const lines = result.warnings.map((i) => formatIssue('warning', i));
  const segments = Object.keys(result.rules.segments).length;
  const warned = result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')}` : '';
  lines.push(`${path}: ok, ${plural(segments, 'segment')}${warned}`);
  return { output: `${lines.join('\n')}\n`, code: 0 };
}
