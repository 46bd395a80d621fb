import { guard, reportFailure } from './guard.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';

/**
 * The fields of a web-vitals `Metric` the collector reads. Declared here, not imported: web-vitals
 * ships ES module types only, and an import of them in the `.d.cts` failed CommonJS consumers
 * under `moduleResolution: node16` (TS1479).
 */
export interface Metric {
  name: string;
  value: number;
  rating: string;
}

/** The part of `web-vitals` the collector uses. */
export interface VitalsApi {
  onCLS(report: (metric: Metric) => void): void;
  onFCP(report: (metric: Metric) => void): void;
  onINP(report: (metric: Metric) => void): void;
  onLCP(report: (metric: Metric) => void): void;
  onTTFB(report: (metric: Metric) => void): void;
}

/** Options of the vitals collector: where `web-vitals` comes from. */
export interface VitalsOptions extends CollectorOptions {
  /**
   * Fetches `web-vitals` only when the collector runs, so the default bundle does not carry it:
   * the npm entry imports the package, the script tag loads `seglet-vitals.min.js` beside itself.
   */
  load: (() => Promise<VitalsApi>) | null;
}

/** Where a page keeps its one registration of web-vitals: `Symbol.for`, so every build on it shares it. */
const PAGE = /*#__PURE__*/ Symbol.for('seglet.vitalsOn');

/** A page's registration: under way or done (`on`), and the collector its metrics go to (`to`). */
interface Registration {
  on?: Promise<void> | undefined;
  to?: ((metric: Metric) => void) | undefined;
}

/**
 * Records `web_vital {name, value, rating}` for CLS, FCP, INP, LCP and TTFB through the
 * `web-vitals` package (opt-in: `collect.vitals`). Its observers are buffered, so metrics
 * that happened while it loaded are still reported. web-vitals reads the global `window` and
 * offers no way to unregister, and each registration reports the page's metrics again: it is
 * registered once per page, and its metrics go to the collector started last, until it stops
 * (an instance started after destroy() hears what comes after, nothing twice). A failed load
 * is tried again by the next start.
 */
export function collectVitals(track: Track, win: Win, options: VitalsOptions): Stop {
  const page = ((win as unknown as Record<symbol, Registration>)[PAGE] ??= {});
  const report = guard('vitals', (metric: Metric) => {
    if (!Number.isFinite(metric.value)) return;
    // Rounded so CLS's float noise does not make every value distinct.
    track('web_vital', { name: metric.name, value: Math.round(metric.value * 10_000) / 10_000, rating: metric.rating });
  }, options);
  page.to = report;
  const start = (api: VitalsApi): void => {
    // Stopped while it loaded, and no collector since: the next start registers.
    if (!page.to) return void (page.on = undefined);
    // One by one: a registration that throws (a web-vitals of another version) is reported and the
    // others stay registered, where the whole start failed and the next start registered again
    // those that had succeeded, recording their metrics twice.
    for (const on of [api.onCLS, api.onFCP, api.onINP, api.onLCP, api.onTTFB]) {
      try {
        on((metric) => page.to?.(metric));
      } catch (cause) {
        reportFailure('vitals', cause, options);
      }
    }
  };
  try {
    if (!options.load) throw new Error('no source of web-vitals');
    (page.on ??= options.load().then(start)).catch((cause: unknown) => {
      page.on = undefined;
      reportFailure('vitals', cause, options);
    });
  } catch (cause) {
    reportFailure('vitals', cause, options);
  }
  return () => {
    if (page.to === report) page.to = undefined;
  };
}
