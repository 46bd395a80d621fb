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
/** A page of its own for each test: web-vitals is registered once per page. */
const page = (): Win => ({}) as unknown as Win;

describe('collectVitals', () => {
  it('loads web-vitals only when started, then records web_vital {name, value, rating} for the five metrics until stopped', async () => {
    const { api, reports } = fakeVitals();
    let loads = 0;
    const calls: [string, Record<string, PropValue>][] = [];
    const stop = collectVitals((type, props) => void calls.push([type, props]), page(), { load: async () => { loads++; return api; } });
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
    const stop = collectVitals(() => undefined, page(), { load: async () => api });
    stop();
    await settle();
    expect(reports).toHaveLength(0);
  });

  it('reports collector_failed at /collect/vitals when web-vitals cannot be loaded or has no source, never throwing', async () => {
    const errors: SegletError[] = [];
    collectVitals(() => undefined, page(), { load: () => Promise.reject(new Error('offline')), onError: (e) => errors.push(e) });
    collectVitals(() => undefined, page(), { load: null, onError: (e) => errors.push(e) });
    await settle();
    expect(errors.map((e) => [e.code, e.issues?.[0]?.path])).toEqual([['collector_failed', '/collect/vitals'], ['collector_failed', '/collect/vitals']]);
    // The reason is in the message, which is all the script tag's console warning prints.
    expect(errors.map((e) => e.message).sort()).toEqual(['seglet: vitals collector failed: no source of web-vitals', 'seglet: vitals collector failed: offline']);
  });

  it('registers web-vitals once per page: an instance started after destroy() gets the metrics from then on, none twice', async () => {
    // Each start registered web-vitals again, whose observers report the page's metrics again
    // (buffered): destroy() and createSegments() recorded TTFB, FCP and LCP twice for one page
    // load (found by the web-vitals audit).
    const win = page();
    const { api, reports } = fakeVitals();
    let loads = 0;
    const load = async (): Promise<VitalsApi> => { loads++; return api; };
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = collectVitals((_, props) => void first.push(String(props['name'])), win, { load });
    await settle();
    reports[4]!({ name: 'TTFB', value: 80, rating: 'good' });
    stopFirst();
    collectVitals((_, props) => void second.push(String(props['name'])), win, { load });
    await settle();
    expect(loads).toBe(1);
    expect(reports).toHaveLength(5);
    reports[0]!({ name: 'CLS', value: 0.01, rating: 'good' });
    expect(first).toEqual(['TTFB']);
    expect(second).toEqual(['CLS']);
    // Another page registers its own.
    collectVitals(() => undefined, page(), { load });
    await settle();
    expect(reports).toHaveLength(10);
  });

  it('a registration that throws is reported, and the others are not registered again by the next start', async () => {
    const win = page();
    const { api, reports } = fakeVitals();
    const broken = { ...api, onINP: () => { throw new Error('onINP is not a function of this web-vitals'); } } as unknown as VitalsApi;
    const errors: SegletError[] = [];
    let loads = 0;
    const load = async (): Promise<VitalsApi> => { loads++; return broken; };
    const calls: string[] = [];
    const stop = collectVitals((_, props) => void calls.push(String(props['name'])), win, { load, onError: (e) => errors.push(e) });
    await settle();
    stop();
    expect(reports).toHaveLength(4);
    expect(errors.map((e) => e.message)).toEqual(['seglet: vitals collector failed: onINP is not a function of this web-vitals']);
    collectVitals((_, props) => void calls.push(String(props['name'])), win, { load, onError: (e) => errors.push(e) });
    await settle();
    expect(loads).toBe(1);
    expect(reports).toHaveLength(4);
    reports[0]!({ name: 'CLS', value: 0.1, rating: 'good' });
    expect(calls).toEqual(['CLS']);
  });

  it('an instance stopped while web-vitals loads hands the registration to the next one', async () => {
    const win = page();
    const { api, reports } = fakeVitals();
    let arrive = (_: VitalsApi): void => undefined;
    const load = (): Promise<VitalsApi> => new Promise((r) => { arrive = r; });
    collectVitals(() => { throw new Error('the stopped instance heard a metric'); }, win, { load })();
    const calls: string[] = [];
    collectVitals((_, props) => void calls.push(String(props['name'])), win, { load: () => Promise.reject(new Error('loaded twice')) });
    arrive(api);
    await settle();
    expect(reports).toHaveLength(5);
    reports[1]!({ name: 'FCP', value: 900, rating: 'good' });
    expect(calls).toEqual(['FCP']);
  });

  it('after a failed load the next start tries again', async () => {
    const win = page();
    const errors: SegletError[] = [];
    collectVitals(() => undefined, win, { load: () => Promise.reject(new Error('offline')), onError: (e) => errors.push(e) })();
    await settle();
    expect(errors).toHaveLength(1);
    const { api, reports } = fakeVitals();
    collectVitals(() => undefined, win, { load: async () => api, onError: (e) => errors.push(e) });
    await settle();
    expect(reports).toHaveLength(5);
    expect(errors).toHaveLength(1);
  });
});
