// Statements of runtime.md about the browser's collectors, context, declarative swaps and script
// tag (sections 2, 3 and 7), checked one by one where the other suites do not already pin them down.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SegletError } from '@seglet/core';
import { createSwapper, type Swapper } from '../../src/dom/createSwapper.js';

const set = (...ids: string[]): ReadonlySet<string> => new Set(ids);
const $ = (selector: string, root: ParentNode = document): HTMLElement => root.querySelector(selector) as HTMLElement;
function page(markup: string): void {
  // Test fixture only: the code under test never parses HTML.
  document.body.innerHTML = markup;
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.body.replaceChildren();
  history.replaceState(null, '', '/');
});
afterEach(() => {
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
