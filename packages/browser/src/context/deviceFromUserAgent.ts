// TODO(lead): the spec puts this one function in core (`packages/core/src/deviceType.ts`) so the
// browser and the edge classify alike; move it there and import it from '@seglet/core'.

/** The device classes of the `device` context key. */
export type Device = 'mobile' | 'tablet' | 'desktop';

/**
 * Classifies a device, identically in the browser and at the edge: a mobile client hint
 * (`Sec-CH-UA-Mobile: ?1`, or `navigator.userAgentData.mobile === true`) means mobile; otherwise
 * the user agent decides: iPad, "Tablet", or Android without "Mobile" is a tablet; "Mobi",
 * iPhone or Android is mobile; anything else, including a missing user agent, is desktop.
 * A hint of `?0`/`false` does not settle it: Android tablets send it too.
 */
export function deviceFromUserAgent(userAgent: string | null | undefined, mobileHint?: string | boolean | null): Device {
  if (mobileHint === true || (typeof mobileHint === 'string' && mobileHint.trim() === '?1')) return 'mobile';
  const ua = userAgent ?? '';
  if (/iPad|Tablet/.test(ua) || (ua.includes('Android') && !ua.includes('Mobile'))) return 'tablet';
  if (/Mobi|iPhone|Android/.test(ua)) return 'mobile';
  return 'desktop';
}
