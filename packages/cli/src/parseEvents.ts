import type { Props } from '@seglet/core';
import { readTime } from './parseTime.js';
import { stripBom } from './readJson.js';

/** One event read from a JSON-lines log, with its 1-based line number. */
export interface LoggedEvent { line: number; type: string; t: number; props?: Props }

/** The events of a log and one message per line that could not be used. */
export interface ParsedLog { events: LoggedEvent[]; problems: string[] }

/**
 * Parses a JSON-lines event log: one `{"type","t","props"?}` object per line, `t` in epoch ms or
 * ISO 8601 (a date and time with `Z` or an offset, or a date alone: midnight UTC). Blank lines
 * are ignored; a bad line is reported with its number and skipped. Props are checked later by the
 * engine itself, which knows the limits. A leading byte order mark is ignored.
 */
export function parseEvents(text: string): ParsedLog {
  const events: LoggedEvent[] = [];
  const problems: string[] = [];
  stripBom(text).split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      problems.push(`line ${line}: not valid JSON: ${(e as Error).message}`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`line ${line}: expected an object {"type","t","props"?}`);
      return;
    }
    const { type, t, props } = value as Record<string, unknown>;
    if (typeof type !== 'string') {
      problems.push(`line ${line}: "type" must be a string`);
      return;
    }
    const time = readTime(t);
    if (!time.ok) {
      problems.push(`line ${line}: "t" ${time.problem}`);
      return;
    }
    const ms = time.ms;
    events.push(props === undefined ? { line, type, t: ms } : { line, type, t: ms, props: props as Props });
  });
  return { events, problems };
}
