import type { PropValue } from '@seglet/core';
import type { ScrollCollector } from '../collectors/collectScroll.js';
import type { Stop, Win } from '../collectors/types.js';
import type { CollectOptions, CollectorKit } from '../types.js';
import type { Report } from './createReporter.js';
import { vitalsSource } from './vitalsSource.js';

/** The collectors by their `collect` keys, in start order (scroll first: see below). */
export const COLLECTORS = ['scroll', 'pageViews', 'clicks', 'dataLayer', 'vitals'] as const;

/** The running collectors: `pageView()` resets scroll depth for a page view the host records itself. */
export interface Collectors {
  pageView(): void;
  /** No page view counted yet (collected or the host's): the next one is the document's landing view. */
  landing(): boolean;
  stop(): void;
}

/**
 * Starts the enabled collectors the entry carries (`kit`: it imports them, this module does not,
 * so `seglet/lean` bundles only those given). `onPageView` runs after every collected page view
 * (the facade moves the context's `path` there); scroll depth resets on each page view but the landing one.
 */
export function startCollectors(
  win: Win,
  collect: CollectOptions | false | undefined,
  kit: CollectorKit,
  track: (type: string, props: Record<string, PropValue>) => void,
  onPageView: (path: string) => void,
  onError: Report,
): Collectors {
  // All on by default (runtime section 7) but `vitals`, which is opt-in.
  const on = (name: keyof CollectOptions): CollectOptions[typeof name] => collect !== false && (collect?.[name] ?? name !== 'vitals');
  const stops: Stop[] = [];
  let scroll: ScrollCollector | null = null;
  let views = 0;
  const pageView = (): void => {
    if (views++ > 0) scroll?.reset();
  };
  // One options object for all: each collector reads its own keys.
  const shared = {
    onError, clicks: on('clicks'), load: vitalsSource(),
    onPageView: (path: string) => {
      pageView();
      onPageView(path);
    },
  };
  // Scroll first: its depth resets on the page views that follow the landing one.
  for (const name of COLLECTORS) {
    const collector = on(name) && kit[name];
    if (!collector) continue;
    const stop = collector(track, win, shared);
    if (name === 'scroll') scroll = stop as ScrollCollector;
    stops.push(stop);
  }
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
