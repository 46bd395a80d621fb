// Statements of runtime.md about the browser's collectors, context, declarative swaps and script
// tag (sections 2, 3 and 7), checked one by one where the other suites do not already pin them down.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { createSwapper, type Swapper } from '../../src/dom/createSwapper.js';
import { LANDING_KEY } from '../../src/context/landing.js';

const rules: RuleSet = {
  version: 1,
  segments: {
    buyer: { when: { count: 'add_to_cart', gte: 2 } },
    campaign: { when: { context: 'utm_source', eq: 'news' } },
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
