import type { PropValue } from '@seglet/core';
import { collectClicks } from '../collectors/collectClicks.js';
import { collectDataLayer } from '../collectors/collectDataLayer.js';
import { collectPageViews } from '../collectors/collectPageViews.js';
import { collectScroll, type ScrollCollector } from '../collectors/collectScroll.js';
import { collectVitals } from '../collectors/collectVitals.js';
import type { Stop, Win } from '../collectors/types.js';
import type { CollectOptions } from '../types.js';
import type { Report } from './createReporter.js';
import { vitalsSource } from './vitalsSource.js';

/** Collectors on by default (runtime section 7); `vitals` is opt-in. */
export const DEFAULT_COLLECT: Required<CollectOptions> = { pageViews: true, clicks: true, scroll: true, dataLayer: true, vitals: false };

/** The running collectors: `pageView()` resets scroll depth for a page view the host records itself. */
export interface Collectors {
  pageView(): void;
  /** No page view counted yet (collected or the host's): the next one is the document's landing view. */
  landing(): boolean;
  stop(): void;
}

/**
 * Starts the enabled collectors. `onPageView` runs after every collected page view (the facade
 * moves the context's `path` there); scroll depth resets on each page view but the landing one.
 */
export function startCollectors(
  win: Win,
  collect: CollectOptions | false | undefined,
  track: (type: string, props: Record<string, PropValue>) => void,
  onPageView: (path: string) => void,
  onError: Report,
): Collectors {
  const on: CollectOptions = collect === false ? {} : { ...DEFAULT_COLLECT, ...collect };
  const stops: Stop[] = [];
  let scroll: ScrollCollector | null = null;
  let views = 0;
  const pageView = (): void => {
    if (views++ > 0) scroll?.reset();
  };
  if (on.scroll) stops.push((scroll = collectScroll(track, win, { onError })));
  if (on.pageViews) {
    stops.push(collectPageViews(track, win, {
      onError,
      onPageView: (path) => {
        pageView();
        onPageView(path);
      },
    }));
  }
  if (on.clicks) stops.push(collectClicks(track, win, { onError, clicks: on.clicks }));
  if (on.dataLayer) stops.push(collectDataLayer(track, win, { onError }));
  if (on.vitals) stops.push(collectVitals(track, win, { onError, load: vitalsSource() }));
  return {
    pageView,
    landing: () => views === 0,
    stop() {
      for (const stop of stops.splice(0)) {
        try { stop(); } catch { /* a collector that fails to stop must not stop the others */ }
      }
    },
  };
}
