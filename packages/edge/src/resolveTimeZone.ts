import { cfOf } from './requestContext.js';

/** Zones already checked; bounded, since `request.cf.timezone` comes from outside. */
const known = new Map<string, boolean>();
const MAX_ZONES = 1024;

/**
 * The zone for `hour` and `weekday`: the `timeZone` option, else `request.cf.timezone`, else UTC.
 * An unknown zone falls back to UTC, and `onInvalid` is told which one it was.
 */
export function resolveTimeZone(request: Request, option: string | undefined, onInvalid: (zone: string, path: string) => void): string {
  const fromCf = cfOf(request)?.timezone;
  const zone = option !== undefined ? option : typeof fromCf === 'string' && fromCf !== '' ? fromCf : 'UTC';
  if (zone === 'UTC') return zone;
  if (isKnownZone(zone)) return zone;
  onInvalid(String(zone), option !== undefined ? '/timeZone' : '/request/cf/timezone');
  return 'UTC';
}

function isKnownZone(zone: unknown): boolean {
  if (typeof zone !== 'string') return false;
  let ok = known.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    if (known.size >= MAX_ZONES) known.clear();
    known.set(zone, ok);
  }
  return ok;
}
