import { parseDuration } from './parseDuration.js';
import { fail, show, type ValidationContext } from './validateShared.js';

// Words people write for units, mapped to the unit seglet expects, for the suggestion in the message.
const UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['millisecond', 'ms'], ['milliseconds', 'ms'], ['msec', 'ms'], ['sec', 's'], ['secs', 's'], ['second', 's'],
  ['seconds', 's'], ['min', 'm'], ['mins', 'm'], ['minute', 'm'], ['minutes', 'm'], ['hr', 'h'], ['hrs', 'h'],
  ['hour', 'h'], ['hours', 'h'], ['day', 'd'], ['days', 'd'], ['week', 'w'], ['weeks', 'w'],
]);

/** The message for a value that is not a duration, suggesting the likely intended spelling. */
export function durationMessage(value: unknown): string {
  let example = '"24h"';
  if (typeof value === 'string') {
    const m = /^\s*(\d{1,15})\s*([A-Za-z]{1,12})\s*$/.exec(value);
    const unit = m ? UNIT_WORDS.get((m[2] as string).toLowerCase()) ?? (/^(ms|s|m|h|d|w)$/i.test(m[2] as string) ? (m[2] as string).toLowerCase() : undefined) : undefined;
    if (m && unit) example = `"${m[1] as string}${unit}"`;
  }
  return `${show(value)} is not a duration; use e.g. ${example} (a whole number with ms, s, m, h, d or w) or whole milliseconds`;
}

/**
 * Checks a duration; returns it in ms, or undefined after reporting an error. With `warn`, a
 * duration longer than `retain.for` draws a warning: events older than that are gone.
 */
export function validateDuration(ctx: ValidationContext, value: unknown, path: string, warn: boolean): number | undefined {
  const ms = parseDuration(value);
  if (ms === undefined) fail(ctx, path, durationMessage(value));
  else if (warn) warnIfBeyondRetention(ctx, ms, value, path);
  return ms;
}

/** Warns when `ms` exceeds `retain.for`: the condition looks at events that are no longer kept. */
export function warnIfBeyondRetention(ctx: ValidationContext, ms: number, written: unknown, path: string): void {
  if (ctx.retainFor === undefined || ms <= ctx.retainFor) return;
  ctx.warnings.push({
    path,
    message: `${show(written)} is longer than retain.for (${ctx.retainForText}): events older than that are dropped, so this cannot see that far back; raise "retain"."for" or shorten it`,
  });
}
