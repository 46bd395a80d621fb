import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import { guard } from './guard.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';

/**
 * Records `web_vital {name, value, rating}` for CLS, FCP, INP, LCP and TTFB through the
 * `web-vitals` package (opt-in: `collect.vitals`). web-vitals reads the global `window` and
 * offers no way to unregister, so stop only silences its callbacks.
 */
export function collectVitals(track: Track, _win: Win, options: CollectorOptions = {}): Stop {
  let active = true;
  const report = guard('vitals', (metric: Metric) => {
    if (!active || !Number.isFinite(metric.value)) return;
    // Rounded so CLS's float noise does not make every value distinct.
    track('web_vital', { name: metric.name, value: Math.round(metric.value * 10_000) / 10_000, rating: metric.rating });
  }, options);
  guard('vitals', () => {
    for (const on of [onCLS, onFCP, onINP, onLCP, onTTFB]) on(report);
  }, options)();
  return () => {
    active = false;
  };
}
