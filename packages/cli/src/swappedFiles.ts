import { validateRules } from '@seglet/core';
import { fileName, readJson, STDIN } from './readJson.js';
import { shellWord } from './urlProblem.js';

/**
 * A line for `simulate` when its rules could not be loaded and the file given as the event log
 * is a valid rule set: the two were given the other way round, and the message about the first
 * one ("events.jsonl is not valid JSON ... line 2 column 1") otherwise sent the user looking for
 * a fault in a log that has none. Null in any other case, and for standard input, which is read
 * once.
 */
export function swappedFiles(rules: string, events: string): string | null {
  if (events === STDIN) return null;
  const read = readJson(events, '');
  if (!read.ok || !validateRules(read.value).ok) return null;
  return `seglet: ${fileName(events)} is a rule set: give it first, then the event log (seglet simulate ${shellWord(events)} ${shellWord(rules)})`;
}
