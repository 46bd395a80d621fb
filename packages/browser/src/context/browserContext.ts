import { deviceType, type DeviceType } from '@seglet/core';
import { cutString } from '../collectors/cleanProps.js';
import { pathOf } from '../collectors/pathOf.js';
import { landingOf, sessionLanding } from './landing.js';

/** Context keys the browser fills. `null` means unknown: `setContext` then removes the key. */
export interface BrowserContext {
  [key: string]: string | null;
  device: DeviceType;
  language: string | null;
  path: string;
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

interface NavigatorUAData { mobile?: unknown }

/**
 * Reads the context of this page for `engine.setContext`: `device` (client hint, else user agent),
 * `language` (`navigator.language`), `path` (no query string or hash), and the session landing
 * page's cross-host `referrer` host and `utm_*`. Never throws; the facade calls it at start-up
 * and `path` again on each page view. With `session: false` (consent pending or denied) nothing is
 * read from or written to sessionStorage: the landing facts are this page's own. For `shared` and
 * `timeout` (the session timeout, after which the tab's landing is over), see `sessionLanding`.
 */
export function browserContext(win: Window, options: { session?: boolean; shared?: boolean; timeout?: number } = {}): BrowserContext {
  const nav = win.navigator as Navigator & { userAgentData?: NavigatorUAData };
  let device: DeviceType = 'desktop';
  try {
    // The client hint, as the edge sees it in `Sec-CH-UA-Mobile`; `false` leaves the user agent
    // to decide, since Android tablets report it too.
    device = deviceType(nav.userAgent, nav.userAgentData?.mobile === true ? '?1' : null);
  } catch {
    // A hostile or broken navigator leaves the default.
  }
  let language: string | null = null;
  try {
    language = nav.language ? cutString(nav.language) : null;
  } catch {
    language = null;
  }
  return { device, language, path: pathOf(win.location.href), ...(options.session === false ? landingOf(win.location.href, win.document.referrer) : sessionLanding(win, options.shared, options.timeout)) };
}
