import { describe, expect, it } from 'vitest';
import type { PropValue, SegletError } from '@seglet/core';
import { collectVitals, type VitalsApi } from '../../src/collectors/collectVitals.js';
import type { Win } from '../../src/collectors/types.js';

type Report = (metric: { name: string; value: number; rating: string }) => void;

/** A stand-in for `web-vitals`: each `onX` keeps the report function it was given. */
function fakeVitals(): { api: VitalsApi; reports: Report[] } {
  const reports: Report[] = [];
  const on = (report: Report) => void reports.push(report);
  return { api: { onCLS: on, onFCP: on, onINP: on, onLCP: on, onTTFB: on } as unknown as VitalsApi, reports };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('collectVitals', () => {
  it('loads web-vitals only when started, then records web_vital {name, value, rating} for the five metrics until stopped', async () => {
    const { api, reports } = fakeVitals();
    let loads = 0;
    const calls: [string, Record<string, PropValue>][] = [];
    const stop = collectVitals((type, props) => void calls.push([type, props]), window as unknown as Win, { load: async () => { loads++; return api; } });
    expect(loads).toBe(1);
    await settle();
    expect(reports).toHaveLength(5);
    reports[0]!({ name: 'CLS', value: 0.123456789, rating: 'needs-improvement' });
    reports[3]!({ name: 'LCP', value: 2100, rating: 'good' });
    reports[3]!({ name: 'LCP', value: Number.NaN, rating: 'good' });
    stop();
    reports[2]!({ name: 'INP', value: 80, rating: 'good' });
    expect(calls).toEqual([
      ['web_vital', { name: 'CLS', value: 0.1235, rating: 'needs-improvement' }],
      ['web_vital', { name: 'LCP', value: 2100, rating: 'good' }],
    ]);
  });

  it('registers nothing when stopped before web-vitals arrived', async () => {
    const { api, reports } = fakeVitals();
    const stop = collectVitals(() => undefined, window as unknown as Win, { load: async () => api });
    stop();
    await settle();
    expect(reports).toHaveLength(0);
  });

  it('reports collector_failed at /collect/vitals when web-vitals cannot be loaded or has no source, never throwing', async () => {
    const errors: SegletError[] = [];
    collectVitals(() => undefined, window as unknown as Win, { load: () => Promise.reject(new Error('offline')), onError: (e) => errors.push(e) });
    collectVitals(() => undefined, window as unknown as Win, { load: null, onError: (e) => errors.push(e) });
    await settle();
    expect(errors.map((e) => [e.code, e.issues?.[0]?.path])).toEqual([['collector_failed', '/collect/vitals'], ['collector_failed', '/collect/vitals']]);
  });
});
