import { validateRules, type RuleSet } from '@seglet/core';
import type { CommandResult } from './types.js';
import { fileName, readJson } from './readJson.js';
import { formatIssue } from './formatIssue.js';

/** A validated rule set, or the result a command returns when there is none. */
export type LoadedRules = { ok: true; rules: RuleSet; text: string } | { ok: false; result: CommandResult };

/**
 * Reads and validates a rule set for the commands that need a valid one (`simulate`, `size`);
 * any failure is already a printable result with exit code 1. `piped` as in `readText`.
 */
export function loadRules(path: string, piped: string): LoadedRules {
  const read = readJson(path, piped);
  if (!read.ok) return { ok: false, result: { output: `${read.message}\n`, code: 1 } };
  const checked = validateRules(read.value);
  if (!checked.ok) {
    const lines = checked.errors.map((i) => formatIssue('error', i));
    lines.push(`seglet: ${fileName(path)} is not a valid rule set (${plural(checked.errors.length, 'error')}); see \`seglet check\``);
    return { ok: false, result: { output: `${lines.join('\n')}\n`, code: 1 } };
  }
  return { ok: true, rules: checked.rules, text: read.text };
}

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
