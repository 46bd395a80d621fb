import { gzipSync } from 'node:zlib';
import type { Condition } from '@seglet/core';
import type { CommandResult } from './types.js';
import { loadRules, plural } from './loadRules.js';
import { fileName, STDIN } from './readJson.js';

/**
 * `seglet size rules.json`: what the rule set adds to a page, as the browser fetches it: minified
 * JSON bytes (UTF-8) and gzip bytes (level 9), plus the number of segments and conditions.
 * Invalid rules are refused (exit 1): their size means nothing.
 */
export function size(path: string): CommandResult {
  const loaded = loadRules(path, `seglet size ${STDIN}`);
  if (!loaded.ok) return loaded.result;
  // The parsed input, not the validated copy: what a server would serve after minifying the file.
  const minified = JSON.stringify(JSON.parse(loaded.text));
  const bytes = Buffer.byteLength(minified, 'utf8');
  const gzip = gzipSync(minified, { level: 9 }).length;
  const segments = Object.values(loaded.rules.segments);
  const conditions = segments.reduce((n, s) => n + countConditions(s.when), 0);
  const lines = [
    fileName(path),
    `  minified  ${bytes} B`,
    `  gzip -9   ${gzip} B`,
    `  ${plural(segments.length, 'segment')}, ${plural(conditions, 'condition')}`,
  ];
  return { output: `${lines.join('\n')}\n`, code: 0 };
}

/**
 * Condition nodes in a `when` tree: each `all`/`any`/`not` and each leaf counts once. Value
 * expressions inside `score` and `cluster` are parts of their model, not conditions.
 */
export function countConditions(c: Condition): number {
  if ('all' in c) return 1 + c.all.reduce((n, x) => n + countConditions(x), 0);
  if ('any' in c) return 1 + c.any.reduce((n, x) => n + countConditions(x), 0);
  if ('not' in c) return 1 + countConditions(c.not);
  return 1;
}
