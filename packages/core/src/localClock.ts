import { SegletError } from './SegletError.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Local hour and weekday at an instant, and when the local hour next turns. */
export interface LocalTime { hour: number; weekday: number; next: number }

/** Whether a condition's key is read from the clock (`hour`, `weekday`) rather than set by the page. */
export const fromClock = (kind: 'context' | 'trait', key: string): boolean => kind === 'context' && (key === 'hour' || key === 'weekday');

const formats = /*#__PURE__*/ new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  // Building a formatter costs far more than using one: engines (and edge requests) share them.
  let fmt = formats.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (cause) {
      throw new SegletError('invalid_option', `timeZone ${typeof timeZone === 'string' ? JSON.stringify(timeZone) : String(timeZone)} is not a known IANA time zone`, { cause });
    }
    formats.set(timeZone, fmt);
  }
  return fmt;
}

/** Wall-clock fields of an instant: the hour, the weekday (0 = Sunday) and the ms into the hour. */
type Fields = [hour: number, weekday: number, into: number];

/** The device's own zone, from `Date`: its first formatter costs 40-80 ms in a fresh browser page, `Date` ~0.1 ms. */
function deviceFields(t: number): Fields {
  const d = new Date(t);
  return [d.getHours(), d.getDay(), d.getMinutes() * 60_000 + d.getSeconds() * 1000 + d.getMilliseconds()];
}

function zoneFields(fmt: Intl.DateTimeFormat, t: number): Fields {
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(t)) parts[p.type] = p.value;
  return [Number(parts.hour) % 24, DAYS.indexOf(parts.weekday as string), Number(parts.minute) * 60_000 + Number(parts.second) * 1000 + (((t % 1000) + 1000) % 1000)];
}

/**
 * Reads the wall clock of an IANA time zone (the device's own when `undefined`), caching one hour
 * at a time so the hot path never formats dates. Throws `invalid_option` for an unknown zone.
 */
export function localClock(timeZone: string | undefined): (t: number) => LocalTime {
  // A named zone is checked now, so a typo fails createEngine rather than the first hour read.
  const fmt = timeZone === undefined ? undefined : formatter(timeZone);
  let from = Infinity;
  let cached: LocalTime = { hour: 0, weekday: 0, next: -Infinity };
  return (t) => {
    if (t >= from && t < cached.next) return cached;
    const [hour, weekday, into] = fmt ? zoneFields(fmt, t) : deviceFields(t);
    from = t - into;
    cached = { hour, weekday, next: from + 3_600_000 };
    return cached;
  };
}
