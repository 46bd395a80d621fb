import type { Props } from '@seglet/core';
import { countsFromZero, readTime } from './parseTime.js';
import { stripBom } from './readJson.js';

/**
 * One event read from a log, with where it was: its 1-based line number in JSON lines, its
 * 1-based position in a JSON array (see `ParsedLog.unit`).
 */
export interface LoggedEvent { line: number; type: string; t: number; props?: Props }

/**
 * The events of a log and one message per entry that could not be used, each starting with the
 * entry's `unit` and number (`line 3: ...`, `event 3: ...`).
 */
export interface ParsedLog {
  events: LoggedEvent[];
  problems: string[];
  unit: 'line' | 'event';
  /** Whether the log is counted from 0: a time below 1e9 makes its numbers milliseconds throughout (see `otherUnit`). */
  fromZero: boolean;
}

/**
 * Parses an event log: JSON lines, one `{"type","t","props"?}` object per line, or one JSON array
 * of such objects (what `JSON.stringify(engine.events())` writes), on one line or pretty-printed.
 * `t` is epoch ms or ISO 8601 (a date and time with `Z` or an offset, or a date alone: midnight
 * UTC); a number that looks like seconds, microseconds or nanoseconds is a problem (`readTime`).
 * Any other key is a problem, not ignored: a misspelt `props` would lose the props unseen.
 * In JSON lines, blank lines are ignored and a bad line is reported with its number and skipped;
 * in an array, a bad entry is reported with its position. Props are checked later by the
 * engine itself, which knows the limits. A leading byte order mark is ignored.
 */
export function parseEvents(text: string): ParsedLog {
  const body = stripBom(text);
  const events: LoggedEvent[] = [];
  const problems: string[] = [];
  const array = wholeArray(body);
  // Every entry is parsed before any is read: whether the log is counted from 0 decides how
  // each of its numbers is read.
  const entries: ({ n: number; value: unknown } | { n: number; problem: string })[] = [];
  const unit = array === null ? 'line' : 'event';
  if (array !== null) array.forEach((value, i) => entries.push({ n: i + 1, value }));
  else {
    body.split(/\r?\n/).forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        entries.push({ n: i + 1, value: JSON.parse(raw) });
      } catch (e) {
        entries.push({ n: i + 1, problem: `line ${i + 1}: not valid JSON: ${(e as Error).message}` });
      }
    });
  }
  const fromZero = entries.some((e) => 'value' in e && countsFromZero((e.value as { t?: unknown } | null)?.t));
  for (const e of entries) {
    if ('value' in e) take(e.value, e.n, unit, fromZero, events, problems);
    else problems.push(e.problem);
  }
  return { events, problems, unit, fromZero };
}

/**
 * The log as one JSON array, or null when it is not one. Only a text that starts with `[` is
 * tried as a whole; one that then fails to parse is read as JSON lines, where a single bad line
 * (`[1, 2]` on line 1) is skipped rather than failing the whole log.
 */
function wholeArray(text: string): unknown[] | null {
  if (!text.trimStart().startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The keys of an event in a log. */
const KEYS = new Set(['type', 't', 'props']);

/** Adds the parsed entry number `n` to `events`, or why it is no event to `problems`. */
function take(value: unknown, n: number, unit: ParsedLog['unit'], fromZero: boolean, events: LoggedEvent[], problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${unit} ${n}: expected an object {"type","t","props"?}`);
    return;
  }
  // A misspelt key ("properties", "prop") would otherwise drop the props without a word.
  const unknown = Object.keys(value).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) {
    problems.push(`${unit} ${n}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; an event has "type", "t" and "props"`);
    return;
  }
  const { type, t, props } = value as Record<string, unknown>;
  if (typeof type !== 'string') {
    problems.push(`${unit} ${n}: "type" must be a string`);
    return;
  }
  const time = readTime(t, fromZero);
  if (!time.ok) {
    problems.push(`${unit} ${n}: "t" ${time.problem}`);
    return;
  }
  const ms = time.ms;
  events.push(props === undefined ? { line: n, type, t: ms } : { line: n, type, t: ms, props: props as Props });
}
