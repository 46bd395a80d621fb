// `seglet/lean`: the same facade, running only the collectors the page passes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import { clicks, createSegments, dataLayer, pageViews, scroll, vitals } from '../../src/lean.js';
import type { CollectorKit, Segments, SegmentsOptions } from '../../src/types.js';
import { engineEvents } from './facadeProbes.js';

// web-vitals reports at once here, so a started vitals collector shows in the log.
vi.mock('web-vitals', () => {
  const report = (name: string) => (cb: (m: { name: string; value: number; rating: string }) => void): void => cb({ name, value: 1, rating: 'good' });
  return { onCLS: report('CLS'), onFCP: report('FCP'), onINP: report('INP'), onLCP: report('LCP'), onTTFB: report('TTFB') };
});

const rules: RuleSet = { version: 1, segments: { seen: { when: { count: 'page_view', gte: 1 } } } };

let instance: Segments | null = null;
let errors: SegletError[] = [];
function start(kit?: CollectorKit, extra: Partial<SegmentsOptions> = {}): Segments {
  errors = [];
  instance = createSegments({ rules, storage: 'memory', onError: (e) => errors.push(e), ...extra }, kit);
  return instance;
}

/** The types of the events the instance's engine holds. */
const types = (s: Segments): string[] => engineEvents(s).map((e) => e.type);
const click = (): void => {
  document.querySelector('button')?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
};

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, '', '/lean');
  // Test fixture only: the code under test never parses HTML.
  document.body.innerHTML = '<button data-seglet-click="buy">Buy</button>';
});
afterEach(() => {
  instance?.destroy();
  instance = null;
  document.body.replaceChildren();
  delete (window as unknown as Record<string, unknown>)['dataLayer'];
  vi.restoreAllMocks();
});

describe('seglet/lean', () => {
  it('runs the collectors passed, with the full entry\'s options, and no others', async () => {
    const s = start({ pageViews });
    await s.ready;
    click();
    (window as unknown as Record<string, unknown[]>)['dataLayer'] = [{ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'a' }] } }];
    expect(types(s)).toEqual(['page_view']);
    expect(s.has('seen')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('records clicks and GA4 dataLayer events when those collectors are passed', async () => {
    (window as unknown as Record<string, unknown[]>)['dataLayer'] = [{ event: 'add_to_cart', ecommerce: { currency: 'EUR', value: 5, items: [{ item_id: 'a', price: 5 }] } }];
    const s = start({ clicks, dataLayer });
    await s.ready;
    click();
    expect(types(s).sort()).toEqual(['add_to_cart', 'click']);
    expect(s.has('seen')).toBe(false);
  });

  it('passes nothing, runs nothing; `collect` still turns a passed collector off', async () => {
    const none = start();
    await none.ready;
    click();
    none.page('/by-hand');
    expect(types(none)).toEqual(['page_view']);
    none.destroy();
    const off = start({ pageViews, clicks, scroll }, { collect: { pageViews: false } });
    await off.ready;
    click();
    expect(types(off)).toEqual(['click']);
  });

  it('a collect key left undefined keeps its default, as an absent one does', async () => {
    // `{ clicks: settings.clicks }` with nothing set turned clicks off.
    const s = start({ clicks }, { collect: { clicks: undefined } });
    await s.ready;
    click();
    expect(types(s)).toEqual(['click']);
  });

  it('vitals still needs collect.vitals, and then imports web-vitals itself', async () => {
    const quiet = start({ vitals });
    await quiet.ready;
    await new Promise((r) => setTimeout(r, 20));
    expect(types(quiet)).toEqual([]);
    quiet.destroy();
    const on = start({ vitals }, { collect: { vitals: true } });
    await on.ready;
    await vi.waitFor(() => expect(types(on)).toEqual(['web_vital', 'web_vital', 'web_vital', 'web_vital', 'web_vital']));
    expect(errors).toEqual([]);
  });
});
