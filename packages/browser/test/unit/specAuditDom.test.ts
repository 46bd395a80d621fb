// Statements of runtime.md about the browser's collectors, context, declarative swaps and script
// tag (sections 2, 3 and 7), checked one by one where the other suites do not already pin them down.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { createSwapper, type Swapper } from '../../src/dom/createSwapper.js';
import { LANDING_KEY } from '../../src/context/landing.js';
import { engineEvents } from './facadeProbes.js';
import { allCollectors } from '../../src/collectors/allCollectors.js';
import { createSegments as startBare } from '../../src/createSegments.js';
import { setVitalsSource } from '../../src/facade/vitalsSource.js';
import type { VitalsApi } from '../../src/collectors/collectVitals.js';

const rules: RuleSet = {
  version: 1,
  segments: {
    buyer: { when: { count: 'add_to_cart', gte: 2 } },
    campaign: { when: { context: 'utm_source', eq: 'news' } },
    vip: { when: { count: 'purchase', gte: 1 } },
    'on-b': { when: { context: 'path', eq: '/b' } },
  },
};

const set = (...ids: string[]): ReadonlySet<string> => new Set(ids);
const $ = (selector: string, root: ParentNode = document): HTMLElement => root.querySelector(selector) as HTMLElement;
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));
function page(markup: string): void {
  // Test fixture only: the code under test never parses HTML.
  document.body.innerHTML = markup;
}

let instance: Segments | null = null;
let errors: SegletError[] = [];
function start(extra: Partial<SegmentsOptions> = {}): Segments {
  errors = [];
  instance = createSegments({ rules, storage: 'memory', collect: false, onError: (e) => errors.push(e), ...extra });
  return instance;
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.body.replaceChildren();
  history.replaceState(null, '', '/');
});
afterEach(() => {
  instance?.destroy();
  instance = null;
  vi.restoreAllMocks();
});

/** The props of the instance's engine events of `type`. */
function events(s: Segments, type: string): Record<string, unknown>[] {
  return engineEvents(s).filter((e) => e.type === type).map((e) => e.props ?? {});
}

describe('spec audit (dom): declarative swaps', () => {
  let swapper: Swapper;
  let swapErrors: SegletError[];
  beforeEach(() => {
    swapErrors = [];
    swapper = createSwapper(document, { onError: (e) => swapErrors.push(e) });
  });
  afterEach(() => swapper.stop());

  it('a template inside its own target: exit still brings the original children back', () => {
    page('<div id="hero"><template data-seglet-when="vip" data-seglet-into="#hero"><b id="vip">vip</b></template><span id="orig">default</span></div>');
    const orig = $('#orig');
    swapper.apply(set('vip'));
    expect($('#vip')).not.toBeNull();
    swapper.apply(set());
    expect($('#hero').contains(orig)).toBe(true);
    expect($('#vip')).toBeNull();
    swapper.apply(set('vip'));
    expect($('#vip')).not.toBeNull();
    expect(swapErrors).toEqual([]);
  });

  it('a template nested deeper in its own target: exit brings the originals back with the template where it was', () => {
    page('<div id="hero"><p id="wrap"><template id="t" data-seglet-when="vip" data-seglet-into="#hero"><b id="vip">vip</b></template><span id="orig">default</span></p><i id="other">x</i></div>');
    const wrap = $('#wrap');
    swapper.apply(set('vip'));
    expect($('#vip')).not.toBeNull();
    expect($('#hero').contains(wrap)).toBe(false);
    swapper.apply(set());
    expect($('#vip')).toBeNull();
    expect(Array.from($('#hero').children).map((c) => c.id)).toEqual(['wrap', 'other']);
    expect(Array.from(wrap.childNodes).map((c) => (c as Element).id)).toEqual(['t', 'orig']);
    swapper.apply(set('vip'));
    expect($('#vip')).not.toBeNull();
    swapper.apply(set());
    expect(Array.from(wrap.childNodes).map((c) => (c as Element).id)).toEqual(['t', 'orig']);
    expect(swapErrors).toEqual([]);
  });

  it('a template added later before the filling one becomes the first in document order and wins', async () => {
    page('<div id="hero"><i>orig</i></div><template id="t2" data-seglet-when="buyer" data-seglet-into="#hero"><b id="two">two</b></template>');
    swapper.apply(set('buyer', 'vip'));
    swapper.observe();
    expect($('#two')).not.toBeNull();
    const t1 = document.createElement('template');
    t1.setAttribute('data-seglet-when', 'vip');
    t1.setAttribute('data-seglet-into', '#hero');
    t1.content.append(Object.assign(document.createElement('b'), { id: 'one' }));
    $('#t2').before(t1);
    await tick();
    expect([!!$('#one'), !!$('#two')]).toEqual([true, false]);
    expect(swapErrors).toEqual([]);
  });

  it('data-seglet-when takes a comma list (any of them); exit restores the very same nodes, text and comments included', () => {
    page('<div id="hero">a<!--c--><span id="s">b</span></div><template data-seglet-when="x, vip" data-seglet-into="#hero"><b id="v">v</b></template>');
    const before = Array.from($('#hero').childNodes);
    let clicked = 0;
    $('#s').addEventListener('click', () => clicked++);
    swapper.apply(set('vip'));
    expect($('#v')).not.toBeNull();
    swapper.apply(set());
    const after = Array.from($('#hero').childNodes);
    expect(after.length).toBe(before.length);
    after.forEach((node, i) => expect(node).toBe(before[i]));
    $('#s').click();
    expect(clicked).toBe(1);
  });

  it('an invalid selector, a missing target and an unknown id in any swap attribute are reported, never thrown', () => {
    const known = (id: string): boolean => id !== 'nope';
    swapper.stop();
    swapper = createSwapper(document, { onError: (e) => swapErrors.push(e), known });
    page('<p data-seglet-show="nope">a</p><p data-seglet-hide="nope">b</p>'
      + '<template data-seglet-when="vip" data-seglet-into="##bad"><b>x</b></template>'
      + '<template data-seglet-when="vip" data-seglet-into="#absent"><b>x</b></template>'
      + '<template data-seglet-when="vip" data-seglet-into=":has("><b>x</b></template>');
    expect(() => swapper.apply(set('vip'))).not.toThrow();
    expect(swapErrors.map((e) => e.code).sort()).toEqual(['swap_invalid_selector', 'swap_invalid_selector', 'swap_target_missing', 'unknown_segment']);
  });
});

describe('spec audit (dom): facade', () => {
  it('segments.apply(shadowRoot) covers a shadow root: its swap elements follow later enters', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const p = document.createElement('p');
    p.setAttribute('data-seglet-show', 'buyer');
    root.append(p);
    const s = start();
    expect(s.apply(root)).toBeUndefined();
    expect(p.hidden).toBe(true);
    await s.ready;
    s.track('add_to_cart');
    s.track('add_to_cart');
    expect(p.hidden).toBe(false);
    // Never thrown, whatever the host passes.
    expect(() => s.apply(null as unknown as ParentNode)).not.toThrow();
    expect(() => s.apply('x' as unknown as ParentNode)).not.toThrow();
  });

  it('collected page views drop the query and move the context path (pushState, replaceState, popstate)', async () => {
    history.replaceState(null, '', '/a?token=1#x');
    const s = start({ collect: { pageViews: true, clicks: false, scroll: false, dataLayer: false } });
    await s.ready;
    history.pushState(null, '', '/b?email=me%40example.com');
    expect(s.has('on-b')).toBe(true);
    history.replaceState(null, '', '/c#frag');
    expect(s.has('on-b')).toBe(false);
    history.replaceState(null, '', '/b');
    expect(events(s, 'page_view').map((p) => p['path'])).toEqual(['/a', '/b', '/c', '/b']);
    expect(JSON.stringify(events(s, 'page_view'))).not.toMatch(/token|email|frag/);
  });

  it('dataLayer purchase becomes a purchase event with value, currency, item_id, item_category, quantity flattened', async () => {
    const w = window as unknown as { dataLayer?: unknown[] };
    w.dataLayer = [{ event: 'purchase', ecommerce: { transaction_id: 'T1', value: '59.90', currency: 'EUR', items: [{ item_id: 'a', item_category: 'shoes', quantity: 2 }, { item_id: 'b', item_category: 'hats' }] } }];
    try {
      const s = start({ collect: { pageViews: false, clicks: false, scroll: false, dataLayer: true } });
      w.dataLayer.push({ ecommerce: null });
      w.dataLayer.push({ event: 'view_item_list', ecommerce: { items: [{ item_id: 'z' }] } });
      await s.ready;
      expect(s.has('vip')).toBe(true);
      expect(events(s, 'purchase')).toEqual([{ item_id: ['a', 'b'], item_category: ['shoes', 'hats'], value: 59.9, currency: 'EUR', quantity: 3, transaction_id: 'T1' }]);
      expect(events(s, 'view_item_list')).toEqual([]);
    } finally {
      delete w.dataLayer;
    }
  });

  it('web vitals are opt-in: web-vitals is not fetched by default, and is with collect.vitals', async () => {
    const load = vi.fn(async (): Promise<VitalsApi> => ({ onCLS: () => {}, onFCP: () => {}, onINP: () => {}, onLCP: () => {}, onTTFB: () => {} }));
    setVitalsSource(load);
    instance = startBare({ rules, storage: 'memory', onError: (e) => errors.push(e) }, allCollectors);
    await instance.ready;
    expect(load).not.toHaveBeenCalled();
    instance.destroy();
    instance = startBare({ rules, storage: 'memory', collect: { vitals: true }, onError: (e) => errors.push(e) }, allCollectors);
    await instance.ready;
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('rules fetched from a URL: unknown ids in swap attributes are reported once the rules are known', async () => {
    vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify(rules), { status: 200 }));
    page('<p data-seglet-show="ghost">a</p><template data-seglet-when="phantom" data-seglet-into="#t"></template><div id="t"></div>');
    const s = start({ rules: '/rules.json' });
    expect(errors.map((e) => e.code)).not.toContain('unknown_segment');
    await s.ready;
    await tick();
    const messages = errors.filter((e) => e.code === 'unknown_segment').map((e) => e.message).join(' ');
    expect(messages).toContain('ghost');
    expect(messages).toContain('phantom');
  });
});

describe('spec audit (dom): context', () => {
  it('utm_* of the landing page are kept for the session once consent is granted on that page', async () => {
    history.replaceState(null, '', '/landing?utm_source=news&utm_medium=mail');
    const first = start({ consent: 'pending' });
    await first.ready;
    first.consent('granted');
    await tick(10);
    first.destroy();
    instance = null;
    history.replaceState(null, '', '/next');
    const second = start();
    await second.ready;
    expect(second.has('campaign')).toBe(true);
    expect(sessionStorage.getItem(LANDING_KEY)).toContain('news');
  });
});
