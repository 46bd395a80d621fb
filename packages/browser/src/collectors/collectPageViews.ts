import { guard } from './guard.js';
import { pageViewProps } from './pageViewProps.js';
import { pathOf } from './pathOf.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';
import { patchHistory } from './patchHistory.js';

const LAST = /*#__PURE__*/ Symbol.for('seglet.lastPageView');

/** Options of {@link collectPageViews}. */
export interface PageViewOptions extends CollectorOptions {
  /** Called after each recorded page view (the facade resets scroll depth here). */
  onPageView?: (path: string) => void;
  /**
   * Called on `pageshow` with `persisted` (a back/forward-cache restore): no second page view is
   * recorded; the facade re-reads storage and re-arms its timers here.
   */
  onRestore?: () => void;
}

/**
 * Records `page_view {path, referrer?}` for the landing page (on activation when prerendered; once
 * per document, whatever the number of instances) and `page_view {path}` whenever
 * `history.pushState`, `replaceState`, `popstate` or a same-document navigation of the Navigation
 * API changes the path.
 * Query strings and hashes never count. Returns the stop function, which restores `history`.
 */
export function collectPageViews(track: Track, win: Win, options: PageViewOptions = {}): Stop {
  const doc = win.document;
  /** The last path recorded in this document, by any instance. */
  const marks = win as unknown as Record<symbol, string | undefined>;
  let last: string | null = null;
  let stopped = false;

  const record = (landing: boolean): void => {
    const props = pageViewProps(win, { referrer: landing });
    last = marks[LAST] = props['path'] as string;
    track('page_view', props);
    options.onPageView?.(last);
  };
  const onChange = guard('pageViews', () => {
    // Before activation of a prerendered page, navigation is part of what the landing view records.
    if (stopped || last === null) return;
    if (pathOf(win.location.href) !== last) record(false);
  }, options);
  const onShow = guard('pageViews', (event: PageTransitionEvent) => {
    if (event.persisted) options.onRestore?.();
  }, options);
  const onActivate = guard('pageViews', () => {
    if (stopped || last !== null) return;
    // After destroy() and createSegments() the landing view is recorded already: only a path
    // changed since counts (the new instance recorded a second landing view).
    last = marks[LAST] ?? null;
    if (last === null) record(true);
    else onChange();
  }, options);

  // A router on the Navigation API intercepts the navigate event and never calls pushState: its
  // entry change is the page view. Where the two meet (pushState fires it too), the path check
  // in onChange keeps one.
  const nav = (win as { navigation?: EventTarget }).navigation;
  let unpatch = (): void => {};
  guard('pageViews', () => {
    unpatch = patchHistory(win.history, onChange);
    nav?.addEventListener('currententrychange', onChange);
    win.addEventListener('popstate', onChange);
    win.addEventListener('pageshow', onShow);
    if ((doc as Document & { prerendering?: boolean }).prerendering) {
      doc.addEventListener('prerenderingchange', onActivate, { once: true });
    } else {
      onActivate();
    }
  }, options)();

  return () => {
    if (stopped) return;
    stopped = true;
    unpatch();
    nav?.removeEventListener('currententrychange', onChange);
    win.removeEventListener('popstate', onChange);
    win.removeEventListener('pageshow', onShow);
    doc.removeEventListener('prerenderingchange', onActivate);
  };
}
