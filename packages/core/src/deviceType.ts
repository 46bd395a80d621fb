/** Device class used for the `device` context key. */
export type DeviceType = 'mobile' | 'tablet' | 'desktop';

/**
 * Classifies a device the same way in the browser and at the edge: `Sec-CH-UA-Mobile: ?1` is
 * mobile; iPad, "Tablet", or Android without "Mobile" is a tablet; "Mobi", iPhone or Android is
 * mobile; everything else is desktop.
 */
export function deviceType(userAgent: string | null | undefined, chUaMobile?: string | null): DeviceType {
  if (chUaMobile === '?1') return 'mobile';
  const ua = userAgent ?? '';
  if (/iPad|Tablet/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))) return 'tablet';
  if (/Mobi|iPhone|Android/i.test(ua)) return 'mobile';
  return 'desktop';
}
