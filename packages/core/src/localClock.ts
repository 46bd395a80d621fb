import { SegletError } from './SegletError.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Local hour and weekday at an instant, and when the local hour next turns. */
export interface LocalTime { hour: number; weekday: number; next: number }

/** Whether a condition's key is read from the clock (`hour`, `weekday`) rather than set by the page. */
export const fromClock = (kind: 'context' | 'trait', key: string): boolean => kind === 'context' && (key === 'hour' || key === 'weekday');

const formats = new Map<string | undefined, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  // Building a formatter costs far more than using one: engines (and edge requests) share them.
  let fmt = formats.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (cause) {
      throw new SegletError('invalid_option', `timeZone ${JSON.stringify(timeZone)} is not a known IANA time zone`, { cause });
    }
    formats.set(timeZone, fmt);
  }
  return fmt;
}

/**
 * Reads the wall clock of an IANA time zone through Intl, caching one hour at a time so the
 * hot path never formats dates. Throws `invalid_option` for an unknown zone.
 */
export function localClock(timeZone: string | undefined): (t: number) => LocalTime {
  // A named zone is checked now; the device's own zone needs no check, so its formatter is built
  // on first use (a page whose rules never read the hour never starts Intl, tens of ms when cold).
  let fmt = timeZone === undefined ? undefined : formatter(timeZone);
  let from = Infinity;
  let cached: LocalTime = { hour: 0, weekday: 0, next: -Infinity };
  return (t) => {
    if (t >= from && t < cached.next) return cached;
    const parts: Record<string, string> = {};
    for (const p of (fmt ??= formatter(undefined)).formatToParts(t)) parts[p.type] = p.value;
    const into = Number(parts.minute) * 60_000 + Number(parts.second) * 1000 + (((t % 1000) + 1000) % 1000);
    from = t - into;
    cached = { hour: Number(parts.hour) % 24, weekday: DAYS.indexOf(parts.weekday as string), next: from + 3_600_000 };
    return cached;
  };
}
