import { guard } from './guard.js';
import { pathOf } from './pathOf.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';

/** The depths recorded, in percent of the page height seen. */
export const SCROLL_DEPTHS = [25, 50, 75, 90, 100] as const;
/** How long a page view's content is given to render before depth is measured (after `load`, or a client-side page view). */
export const RESET_SETTLE_MS = 500;

/** What {@link collectScroll} returns: the stop function, with `reset()` for each new page view. */
export interface ScrollCollector extends Stop {
  /** Forgets the depths reached: the facade calls it on every page view. */
  reset(): void;
}

/**
 * Records `scroll {depth, path}` once per page view for each of 25/50/75/90/100 % reached (a jump
 * to the bottom records every depth passed, in order). A page that cannot scroll records 100 once
 * it has loaded and settled. Measured again on scroll, on resize and when the document changes
 * size (a page that becomes short has been seen whole), once per animation frame, never in the
 * event itself, so scrolling never forces layout more than the page already does.
 */
export function collectScroll(track: Track, win: Win, options: CollectorOptions = {}): ScrollCollector {
  const doc = win.document;
  let reached = 0; // index into SCROLL_DEPTHS of the next depth to record
  let frame: number | null = null;
  let settle: number | undefined;
  /** Until loaded, and in the settle wait of each page view: nothing measures (see wait). */
  let waiting = true;
  let stopped = false;

  const measure = guard('scroll', () => {
    frame = null;
    if (stopped || reached === SCROLL_DEPTHS.length) return;
    const root = doc.scrollingElement ?? doc.documentElement;
    const height = root.scrollHeight;
    const view = win.innerHeight;
    const path = pathOf(win.location.href);
    // A page that cannot scroll has been seen whole: 100 alone when it never could (runtime.md),
    // the depths not reached yet when it became short (content collapsed, a taller window).
    if (height <= view && reached === 0) reached = SCROLL_DEPTHS.length - 1;
    // One pixel of slack: fractional zoom can leave the bottom a fraction short of scrollHeight.
    const percent = height <= view ? 100 : ((win.scrollY + view + 1) / height) * 100;
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
  /**
   * Measures once the page view's content has had time to render: a client-rendered landing view
   * fills its page a little after `load`, and a client-side navigation a little after the URL
   * changes. Measured at once, a short page recorded 100 for a page nobody scrolled. Scroll events
   * in the wait (a router's scrollTo(0, 0) on its loading state, or the browser clamping scrollY
   * as the old content goes) wait too, as does a frame the previous view had asked for.
   */
  const wait = (): void => {
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
  const onLoad = (): void => {
    if (doc.readyState === 'complete') wait();
    else win.addEventListener('load', onLoad, { once: true });
  };

  win.addEventListener('scroll', schedule, { passive: true });
  win.addEventListener('resize', schedule);
  // The document element is as tall as the content: content that grows or collapses without a
  // scroll or a resize (an accordion, a list that loads more) changes its size.
  const observer = win.ResizeObserver ? new win.ResizeObserver(() => schedule()) : null;
  observer?.observe(doc.documentElement);
  // Before `load` a page is often too short only because it has not finished loading, and a
  // prerendered page has not been seen at all until it is activated.
  const prerendering = (doc as Document & { prerendering?: boolean }).prerendering === true;
  if (prerendering) doc.addEventListener('prerenderingchange', onLoad, { once: true });
  else onLoad();

  const stop = (() => {
    stopped = true;
    win.removeEventListener('scroll', schedule);
    win.removeEventListener('resize', schedule);
    win.removeEventListener('load', onLoad);
    doc.removeEventListener('prerenderingchange', onLoad);
    observer?.disconnect();
    cancel();
    win.clearTimeout(settle);
  }) as ScrollCollector;
  stop.reset = () => {
    reached = 0;
    wait();
  };
  return stop;
}
