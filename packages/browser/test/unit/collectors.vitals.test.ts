import { describe, expect, it, vi } from 'vitest';
import type { PropValue } from '@seglet/core';
import type { Win } from '../../src/collectors/types.js';

type Report = (metric: { name: string; value: number; rating: string }) => void;
const reports: Report[] = [];
vi.mock('web-vitals', () => {
  const on = (report: Report) => void reports.push(report);
  return { onCLS: on, onFCP: on, onINP: on, onLCP: on, onTTFB: on };
});
const { collectVitals } = await import('../../src/collectors/collectVitals.js');

describe('collectVitals', () => {
  it('records web_vital {name, value, rating} for the five metrics until stopped', () => {
    const calls: [string, Record<string, PropValue>][] = [];
    const stop = collectVitals((type, props) => void calls.push([type, props]), window as unknown as Win);
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
});
