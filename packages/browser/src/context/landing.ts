import { cutString } from '../collectors/cleanProps.js';
import { referrerHost } from '../collectors/pathOf.js';
import { keepContextCookie, readContextCookie } from '../dom/cookie.js';

/** What the session's landing page brought: campaign parameters and the cross-host referrer. */
export interface Landing {
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

/** sessionStorage key holding the session's {@link Landing}. */
export const LANDING_KEY = 'seglet:landing';
const UTM = ['utm_source', 'utm_medium', 'utm_campaign'] as const;

/** The landing facts of this very page: `utm_*` (percent-decoded, the first wins) and referrer host. */
export function landingOf(href: string, referrer: string): Landing {
  const landing: Landing = { referrer: null, utm_source: null, utm_medium: null, utm_campaign: null };
  try {
    const url = new URL(href);
    landing.referrer = referrerHost(referrer, url.host);
    for (const key of UTM) {
      const value = url.searchParams.get(key);
      if (value) landing[key] = cutString(value);
    }
  } catch {
    // An unparsable URL lands with nothing.
  }
  return landing;
}

/**
 * The session's landing facts, kept in `sessionStorage` so later pages of the visit keep them.
 * A page whose URL carries `utm_*` starts a new landing (a new campaign), as analytics tools do,
 * and so does a page loaded `timeout` (the rule set's session timeout) or more after the tab's
 * last event (`touchLanding`; `now` is this page's load), as the engine starts a new session there.
 * Storage that is missing, blocked or full only makes the facts last one page. With `shared`
 * (`cookie: true`), the landing the tabs keep in `seglet_c` wins over the tab's own when present:
 * the edge reads that cookie for every tab, and a tab decided differently painted the edge's page
 * and then changed it. The cookie lives a session timeout past the last activity of any tab, so
 * while it is there the session goes on (the engine's sessions span the tabs' shared log).
 */
export function sessionLanding(win: Window, shared = false, timeout?: number, now = Date.now()): Landing {
  let here = landingOf(win.location.href, win.document.referrer);
  const stored = readStored(win);
  // Rules fetched from a URL are not known yet: the timeout an earlier page of the tab knew.
  const limit = timeout ?? stored?.timeout ?? SESSION_TIMEOUT;
  // The cookie first: another tab that landed since with a new campaign rewrote it, and the edge
  // read it for this page; this tab's older landing made the two disagree, and the tabs took
  // turns rewriting seglet_c.
  const bag = shared ? readContextCookie(win.document) : null;
  const kept = bag && (bag.referrer || UTM.some((key) => bag[key])) ? bag : null;
  // Without it, the tab's last event a session timeout ago or more starts a new session (as the
  // engine counts sessions), so its landing is this page's, whatever the tab kept.
  const fresh = UTM.some((key) => here[key] !== null) || (!kept && stored !== null && now - stored.t >= limit);
  if (!fresh) {
    if (kept) here = fromBag(kept);
    else if (stored) here = stored.landing;
  }
  store(win, here, now, timeout ?? stored?.timeout);
  return here;
}

/**
 * Notes `t`, the time of the tab's last event, beside the kept landing (at `pagehide`): the next
 * page of the tab starts a new landing when it loads a session timeout or more after it.
 */
export function touchLanding(win: Window, t: number, timeout?: number): number {
  const stored = readStored(win);
  const limit = timeout ?? stored?.timeout;
  // NaN (kept by an older version, which noted no time) takes the first time it is given.
  if (stored && !(t <= stored.t)) store(win, stored.landing, t, limit);
  return limit ?? SESSION_TIMEOUT;
}

/**
 * Keeps the session's landing alive at `at`, the tab's last activity: noted beside the tab's
 * landing and, with `shared` (`cookie: true`), `seglet_c` extended to last `timeout` past it, so
 * the edge stops reading it when the session ends (a session cookie outlived it by hours). What
 * is left is never cut short here: another tab may be keeping the session going.
 */
export function keepLanding(win: Window, landing: Landing, at: number, timeout: number | undefined, shared: boolean, now: number): void {
  const limit = touchLanding(win, at, timeout);
  if (shared) keepContextCookie(win.document, landing, at, limit, now);
}

const SESSION_TIMEOUT = 30 * 60_000;

function store(win: Window, landing: Landing, t: number, timeout: number | undefined): void {
  try {
    win.sessionStorage.setItem(LANDING_KEY, JSON.stringify({ ...landing, t, timeout }));
  } catch {
    // Blocked storage (sandboxed frame, privacy mode): the facts still hold for this page.
  }
}

/**
 * The kept landing, its last activity (NaN for a landing kept by an older version: never timed
 * out) and the session timeout of the rules known then.
 */
function readStored(win: Window): { landing: Landing; t: number; timeout: number | undefined } | null {
  try {
    const raw = win.sessionStorage.getItem(LANDING_KEY);
    if (raw === null) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { t, timeout } = value as { t?: unknown; timeout?: unknown };
    return { landing: fromBag(value as Record<string, unknown>), t: typeof t === 'number' ? t : NaN, timeout: typeof timeout === 'number' ? timeout : undefined };
  } catch {
    return null;
  }
}

/** The landing facts of a stored or cookie value: strings kept (cut to the event limit), the rest null. */
function fromBag(bag: Record<string, unknown>): Landing {
  const text = (key: string): string | null => (typeof bag[key] === 'string' ? cutString(bag[key] as string) : null);
  return Object.fromEntries(['referrer', ...UTM].map((key) => [key, text(key)])) as unknown as Landing;
}

/** Deletes the kept landing facts (`forget()`, consent denied). */
export function clearLanding(win: Window): void {
  try {
    win.sessionStorage.removeItem(LANDING_KEY);
  } catch {
    // Nothing to delete when storage is blocked.
  }
}
