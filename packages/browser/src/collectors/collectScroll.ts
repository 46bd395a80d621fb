import { guard } from './guard.js';
import { pathOf } from './pathOf.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';

/** The depths recorded, in percent of the page height seen. */
export const SCROLL_DEPTHS = [25, 50, 75, 90, 100] as const;
/** Delay before a page that cannot scroll records 100 after a client-side page view. */
export const RESET_SETTLE_MS = 500;

/** What {@link collectScroll} returns: the stop function, with `reset()` for each new page view. */
export interface ScrollCollector extends Stop {
  /** Forgets the depths reached: the facade calls it on every page view. */
  reset(): void;
}

/**
 * Records `scroll {depth, path}` once per page view for each of 25/50/75/90/100 % reached (a jump
 * to the bottom records every depth passed, in order). A page that cannot scroll records 100 once
 * it has loaded. One passive listener; metrics are read once per animation frame, never in the
 * event itself, so scrolling never forces layout more than the page already does.
 */
export function collectScroll(track: Track, win: Win, options: CollectorOptions = {}): ScrollCollector {
  const doc = win.document;
  let reached = 0; // index into SCROLL_DEPTHS of the next depth to record
  let frame: number | null = null;
  let settle: number | undefined;
  /** In the settle wait after a client-side page view: scroll events do not measure (see reset). */
  let waiting = false;
  let stopped = false;

  const measure = guard('scroll', () => {
    frame = null;
    if (stopped || reached === SCROLL_DEPTHS.length) return;
    const root = doc.scrollingElement ?? doc.documentElement;
    const height = root.scrollHeight;
    const view = win.innerHeight;
    const path = pathOf(win.location.href);
    if (height <= view) {
      reached = SCROLL_DEPTHS.length;
      track('scroll', { depth: 100, path });
      return;
    }
    // One pixel of slack: fractional zoom can leave the bottom a fraction short of scrollHeight.
    const percent = ((win.scrollY + view + 1) / height) * 100;
    while (reached < SCROLL_DEPTHS.length && percent >= (SCROLL_DEPTHS[reached] as number)) {
      track('scroll', { depth: SCROLL_DEPTHS[reached] as number, path });
      reached++;
    }
  }, options);
  const schedule = (): void => {
    if (frame === null && !stopped && !waiting) frame = win.requestAnimationFrame(measure);
  };
  const cancel = (): void => {
    if (frame !== null) win.cancelAnimationFrame(frame);
    frame = null;
  };
  const onLoad = (): void => {
    if (doc.readyState === 'complete') schedule();
    else win.addEventListener('load', onLoad, { once: true });
  };

  win.addEventListener('scroll', schedule, { passive: true });
  // Before `load` a page is often too short only because it has not finished loading, and a
  // prerendered page has not been seen at all until it is activated.
  const prerendering = (doc as Document & { prerendering?: boolean }).prerendering === true;
  if (prerendering) doc.addEventListener('prerenderingchange', onLoad, { once: true });
  else onLoad();

  const stop = (() => {
    stopped = true;
    win.removeEventListener('scroll', schedule);
    win.removeEventListener('load', onLoad);
    doc.removeEventListener('prerenderingchange', onLoad);
    cancel();
    win.clearTimeout(settle);
  }) as ScrollCollector;
  stop.reset = () => {
    reached = 0;
    // A client-side navigation renders its content a little after the URL changes: measuring at
    // once would find a short page and record 100 for a page nobody scrolled. Scroll events in
    // the wait are the router's scrollTo(0, 0) or the browser clamping scrollY as the old content
    // goes: they wait too, as does a frame the previous view had asked for.
    cancel();
    waiting = true;
    win.clearTimeout(settle);
    if (!stopped) {
      settle = win.setTimeout(() => {
        waiting = false;
        schedule();
      }, RESET_SETTLE_MS);
    }
  };
  return stop;
}
