import { parseDuration } from './parseDuration.js';
import { ctx, fail, show, type Check } from './validateShared.js';

// A whole number and a unit as people write it (`24hours`, ` 3 Days `); the group that matches
// names the unit seglet expects, for the suggestion in the message.
const SPELLED = /^\s*(\d{1,15})\s*(?:(ms|msec|milliseconds?)|(s|secs?|seconds?)|(m|mins?|minutes?)|(h|hrs?|hours?)|(d|days?)|(w|weeks?))\s*$/i;

/** The message for a value that is not a duration, suggesting the likely intended spelling. */
export function durationMessage(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  // "1M" read as a minute would be a trap: months vary in length and are not a unit.
  if (/^\s*\d+\s*(M|[Mm]o(nths?)?)\s*$/.test(text)) return `${show(value)} is not a duration: months are not a unit; use days, e.g. "30d"`;
  const m = SPELLED.exec(text);
  const example = m ? `"${m[1] as string}${['ms', 's', 'm', 'h', 'd', 'w'][m.slice(2).findIndex(Boolean)] as string}"` : '"24h"';
  return `${show(value)} is not a duration; use e.g. ${example} (a whole number with ms, s, m, h, d or w) or whole milliseconds`;
}

/**
 * Checks a duration; returns it in ms, or undefined after reporting an error. With `warn`, a
 * duration longer than `retain.for` draws a warning: events older than that are gone.
 */
export function validateDuration(value: unknown, path: string, warn?: boolean): number | undefined {
  const ms = parseDuration(value);
  if (ms === undefined) fail(path, durationMessage(value));
  else if (warn) warnIfBeyondRetention(ms, value, path);
  return ms;
}

/** A duration in a segment: one longer than `retain.for` draws the warning. */
export const durationInSegment: Check = (value, path) => validateDuration(value, path, true);

/**
 * Warns when `ms` exceeds `retain.for`: the condition looks at events that are no longer kept.
 * A duration of the condition (not the hold) also counts towards how far back the segment looks.
 */
export function warnIfBeyondRetention(ms: number, written: unknown, path: string): void {
  if (!path.endsWith('/hold')) ctx.spans.set(ctx.segId, Math.max(ms, ctx.spans.get(ctx.segId) ?? 0));
  if (ms > (ctx.retainFor as number)) {
    ctx.warnings.push({
      path,
      message: `${show(written)} is longer than retain.for (${ctx.retainForText}): events older than that are dropped, so this cannot see that far back; raise "retain"."for" or shorten it`,
    });
  }
}
