import type { CollectorKit } from '../types.js';
import { collectClicks } from './collectClicks.js';
import { collectDataLayer } from './collectDataLayer.js';
import { collectPageViews } from './collectPageViews.js';
import { collectScroll } from './collectScroll.js';
import { collectVitals } from './collectVitals.js';

/** Every collector: what `seglet` and the script tag carry (`collect` picks which run). */
export const allCollectors: CollectorKit = {
  pageViews: collectPageViews, clicks: collectClicks, scroll: collectScroll, dataLayer: collectDataLayer, vitals: collectVitals,
};
