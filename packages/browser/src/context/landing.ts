import { cutString } from '../collectors/cleanProps.js';
import { referrerHost } from '../collectors/pathOf.js';
import { readContextCookie } from '../dom/cookie.js';

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
 * A page whose URL carries `utm_*` starts a new landing (a new campaign), as analytics tools do.
 * Storage that is missing, blocked or full only makes the facts last one page. With `shared`
 * (`cookie: true`), the landing the tabs keep in `seglet_c` wins over the tab's own when present:
 * the edge reads that cookie for every tab, and a tab decided differently painted the edge's page
 * and then changed it.
 */
export function sessionLanding(win: Window, shared = false): Landing {
  let here = landingOf(win.location.href, win.document.referrer);
  const fresh = UTM.some((key) => here[key] !== null);
  if (!fresh) {
    // The cookie first: another tab that landed since with a new campaign rewrote it, and the edge
    // read it for this page; this tab's older landing made the two disagree, and the tabs took
    // turns rewriting seglet_c.
    const kept = shared ? readContextCookie(win.document) : null;
    if (kept && Object.values(kept).some((value) => value)) here = fromBag(kept);
    else {
      const stored = readStored(win);
      if (stored) return stored;
    }
  }
  try {
    win.sessionStorage.setItem(LANDING_KEY, JSON.stringify(here));
  } catch {
    // Blocked storage (sandboxed frame, privacy mode): the facts still hold for this page.
  }
  return here;
}

function readStored(win: Window): Landing | null {
  try {
    const raw = win.sessionStorage.getItem(LANDING_KEY);
    if (raw === null) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    return fromBag(value as Record<string, unknown>);
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
