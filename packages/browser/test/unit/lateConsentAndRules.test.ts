// What a page learns after it started: consent granted by a banner after load, and rules fetched
// from a URL that no longer define a segment the snapshot had. Both left the page acting on what
// it knew at start-up.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { rulesHash } from '../../src/dom/rulesHash.js';
import { SNAPSHOT_KEY } from '../../src/dom/snapshot.js';
import { resetPage } from './resetPage.js';

let instance: Segments | null = null;
const errors: SegletError[] = [];
const start = (options: SegmentsOptions): Segments => (instance = createSegments({ collect: false, onError: (e) => errors.push(e), ...options }));
const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));
const clearCookies = (): void => {
  for (const name of ['seglet_m', 'seglet_c']) document.cookie = `${name}=; Max-Age=0; Path=/`;
};

beforeEach(() => {
  resetPage();
  clearCookies();
  errors.length = 0;
});
afterEach(() => {
  instance?.destroy();
  instance = null;
  vi.restoreAllMocks();
  clearCookies();
  history.replaceState(null, '', '/');
});

describe('consent granted after load', () => {
  const rules: RuleSet = { version: 1, segments: { campaign: { when: { context: 'utm_source', eq: 'news' } } } };
  /** A session that landed on `landing` (granted), then a page at `next` that starts pending. */
  const pendingAfter = async (landing: string, next: string, extra: Partial<SegmentsOptions> = {}): Promise<Segments> => {
    history.replaceState(null, '', landing);
    const first = start({ rules });
    await first.ready;
    first.destroy();
    history.replaceState(null, '', next);
    const second = start({ rules, consent: 'pending', ...extra });
    await second.ready;
    return second;
  };

  it("takes the session's landing facts, as a page granted at load does, and keeps seglet_c", async () => {
    history.replaceState(null, '', '/landing?utm_source=news');
    const first = start({ rules, cookie: true });
    await first.ready;
    expect(first.has('campaign')).toBe(true);
    first.destroy();

    // The next page of the session has no utm_*: while pending it knows only its own facts.
    history.replaceState(null, '', '/second');
    const second = start({ rules, cookie: true, consent: 'pending' });
    await second.ready;
    expect(second.has('campaign')).toBe(false);
    second.consent('granted');
    await tick(100);
    expect(second.has('campaign')).toBe(true);
    expect(document.cookie).toContain('seglet_c=utm_source=news');
    expect(errors).toEqual([]);
  });

  it('keeps a landing key the page set in `context`', async () => {
    const second = await pendingAfter('/landing?utm_source=news', '/second', { context: { utm_source: 'partner' } });
    second.consent('granted');
    await tick(100);
    expect(second.has('campaign')).toBe(false);
  });

  it('starts a landing of its own when its URL carries utm_*', async () => {
    const second = await pendingAfter('/landing?utm_source=ads', '/new?utm_source=news');
    expect(second.has('campaign')).toBe(true);
    second.consent('granted');
    await tick(100);
    expect(second.has('campaign')).toBe(true);
    expect(JSON.parse(sessionStorage.getItem('seglet:landing') ?? '{}')).toMatchObject({ utm_source: 'news' });
  });
});

describe('rules fetched from a URL that drop a segment of the snapshot', () => {
  const before: RuleSet = { version: 1, segments: { buyer: { when: { count: 'add_to_cart', gte: 2 } }, promo: { when: { count: 'page_view', gte: 1 } } } };
  const after: RuleSet = { version: 1, segments: { buyer: { when: { count: 'add_to_cart', gte: 2 } } } };

  it('send the exit to on() handlers that saw the enter', async () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: rulesHash(before), members: ['promo'], until: null, t: Date.now() }));
    vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify(after), { status: 200 }));
    document.body.innerHTML = '<p id="p" data-seglet-show="promo" hidden>promo</p>';
    const seen: string[] = [];
    const page = start({ rules: '/rules.json' });
    page.on('promo', () => seen.push('+promo'), () => seen.push('-promo'));
    expect(seen).toEqual(['+promo']);
    await page.ready;
    expect(seen).toEqual(['+promo', '-promo']);
    expect(page.has('promo')).toBe(false);
    expect(document.getElementById('p')?.hidden).toBe(true);
    expect(errors.map((e) => e.code)).toContain('unknown_segment');
  });
});
