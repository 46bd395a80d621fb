import { SegletError, type Issue } from '@seglet/core';
import type { SegmentsOptions } from '../types.js';
import type { Report } from './createReporter.js';
import { COLLECTORS } from './startCollectors.js';

// Typed as a record of every option, so an option added to SegmentsOptions and not here fails to compile.
const OPTIONS: Record<keyof SegmentsOptions, 0> = { rules: 0, storage: 0, collect: 0, beacon: 0, consent: 0, cookie: 0, dom: 0, context: 0, onError: 0, debug: 0, window: 0 };
const KNOWN = /*#__PURE__*/ Object.keys(OPTIONS);

/**
 * Reports in one `invalid_option` every option createSegments would otherwise pass over without
 * a word (a misspelt `beacon` sent nothing): unknown keys, unknown collectors, and a `storage` or
 * `collect` of the wrong kind. Their defaults apply.
 */
export function checkOptions(options: SegmentsOptions, report: Report): void {
  const unknown = (keys: string[], known: readonly string[], base: string): Issue[] =>
    keys.filter((k) => !known.includes(k)).map((k) => ({ path: `${base}/${k}`, message: 'unknown option' }));
  const { storage, collect } = options as { storage?: unknown; collect?: unknown };
  const issues = unknown(Object.keys(options), KNOWN, '');
  if (storage !== undefined && storage !== 'memory' && storage !== 'indexeddb') issues.push({ path: '/storage', message: "must be 'indexeddb' or 'memory'" });
  if (typeof collect === 'object' && collect !== null && !Array.isArray(collect)) issues.push(...unknown(Object.keys(collect), COLLECTORS, '/collect'));
  else if (collect !== undefined && collect !== false) issues.push({ path: '/collect', message: 'must be an object or false' });
  if (issues.length) report(new SegletError('invalid_option', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
}
