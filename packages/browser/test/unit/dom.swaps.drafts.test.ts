// A template the parser may still be inside (nothing follows it yet) fills its target just before
// the next paint, as a draft from its content so far, and again from its whole content once the
// parser has moved past it or the document is parsed. Exit always restores the originals.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { SegletError } from '@seglet/core';
import { createSwapper, type Swapper } from '../../src/dom/createSwapper.js';
import { set, tick } from './swapPage.js';

function template(text: string): HTMLTemplateElement {
  const tpl = document.createElement('template');
  tpl.setAttribute('data-seglet-when', 'vip');
  tpl.setAttribute('data-seglet-into', '#hero');
  tpl.content.append(text);
  return tpl;
}

function hero(...children: Node[]): HTMLElement {
  const el = document.createElement('div');
  el.id = 'hero';
  el.append(...children);
  return el;
}

describe('swaps: drafts of templates the parser may still be inside', () => {
  let state: DocumentReadyState;
  let errors: SegletError[];
  let swapper: Swapper;
  // Animation frames by hand: the test says when a rendering update runs.
  let frames: Map<number, FrameRequestCallback>;
  let raf: MockInstance<typeof requestAnimationFrame>;
  /** A frame's rendering update, just before its paint: the callbacks asked for until now run. */
  const paint = (): void => {
    const due = [...frames.values()];
    frames.clear();
    for (const callback of due) callback(0);
  };
  beforeEach(() => {
    frames = new Map();
    let id = 0;
    raf = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation((callback) => {
      frames.set(++id, callback);
      return id;
    });
    vi.spyOn(globalThis, 'cancelAnimationFrame').mockImplementation((handle) => { frames.delete(handle); });
    state = 'loading';
    vi.spyOn(document, 'readyState', 'get').mockImplementation(() => state);
    errors = [];
    swapper = createSwapper(document, { onError: (e) => errors.push(e) });
    swapper.apply(set('vip'));
    swapper.observe();
  });
  afterEach(() => {
    swapper.stop();
    document.body.replaceChildren();
    vi.restoreAllMocks();
  });

  it('fills the target with the content so far before the next frame, once, and with all of it once the parser moves on', async () => {
    const original = document.createElement('i');
    original.textContent = 'ORIG';
    const target = hero(original);
    const tpl = template('VI');
    document.body.append(target, tpl);
    await tick();
    expect(target.textContent).toBe('ORIG');
    paint();
    expect(target.textContent).toBe('VI');
    const draft = target.firstChild;
    tpl.content.append('P'); // the parser goes on inside the template: no mutation says so
    await tick();
    paint();
    expect(target.firstChild).toBe(draft);
    document.body.append(document.createTextNode('\n')); // the parser moved past the template
    await tick();
    expect(target.textContent).toBe('VIP');
    expect(target.childNodes).toHaveLength(2);
    swapper.apply(set());
    expect(Array.from(target.childNodes)).toEqual([original]);
    expect(errors).toEqual([]);
  });

  it('keeps the draft of a template that was already complete: its nodes are built once', async () => {
    const target = hero(document.createTextNode('ORIG'));
    const tpl = template('VIP');
    tpl.content.append(document.createElement('input'));
    document.body.append(target, tpl); // the parser stopped right after the template
    await tick();
    paint();
    const draft = Array.from(target.childNodes);
    expect(target.textContent).toBe('VIP');
    document.body.append(document.createTextNode('\n')); // the parser moved past it: nothing grew
    await tick();
    expect(target.childNodes).toHaveLength(2);
    expect(target.firstChild).toBe(draft[0]);
    expect(target.lastChild).toBe(draft[1]);
    swapper.apply(set());
    expect(target.textContent).toBe('ORIG');
    expect(errors).toEqual([]);
  });

  it('clones a complete template holding a script again, so the script runs once, with the fill', async () => {
    const target = hero(document.createTextNode('ORIG'));
    const tpl = template('VIP');
    tpl.content.append(document.createElement('script'));
    document.body.append(target, tpl);
    await tick();
    paint();
    expect(target.querySelector('script')).toBeNull();
    document.body.append(document.createTextNode('\n'));
    await tick();
    expect(target.querySelectorAll('script')).toHaveLength(1);
  });

  it('completes a draft when the document is parsed with the template last', async () => {
    const target = hero(document.createTextNode('ORIG'));
    const tpl = template('VI');
    document.body.append(target, tpl);
    await tick();
    paint();
    expect(target.textContent).toBe('VI');
    tpl.content.append('P');
    state = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(target.textContent).toBe('VIP');
  });

  it('a draft of a template inside its open target keeps the late original children for exit', async () => {
    const h1 = document.createElement('h1');
    h1.textContent = 'O1';
    const tpl = template('VI');
    const target = hero(h1, tpl);
    document.body.append(target); // the parser is inside the template, inside #hero
    await tick();
    paint();
    expect(target.textContent).toBe('VI');
    expect(tpl.parentNode).toBe(target);
    tpl.content.append('P');
    await tick(); // the draft's own mutations: the clone after the template is not the parser's
    expect(target.textContent).toBe('VI');
    const p = document.createElement('p');
    p.textContent = 'O2';
    target.append(p); // the template is closed; the parser appends the rest of #hero's children
    await tick();
    expect(target.textContent).toBe('VI');
    document.body.append(document.createTextNode('\n')); // #hero is closed
    await tick();
    expect(target.textContent).toBe('VIP');
    expect(target.querySelectorAll('template')).toHaveLength(1);
    swapper.apply(set());
    expect(Array.from(target.childNodes)).toEqual([h1, tpl, p]);
  });

  it('keeps a late original child the parser appended in the task that ends parsing (DOMContentLoaded before its mutation record)', async () => {
    const h1 = document.createElement('h1');
    h1.textContent = 'O1';
    const tpl = template('VI');
    const target = hero(h1, tpl);
    document.body.append(target); // the parser is inside the template, inside #hero
    await tick();
    paint();
    expect(target.textContent).toBe('VI');
    // The rest of the page and its end arrive in one network chunk: Chromium appends the late child,
    // closes #hero and dispatches DOMContentLoaded synchronously, in the same task, before any
    // microtask delivers the late child's mutation record.
    tpl.content.append('P');
    const p = document.createElement('p');
    p.textContent = 'O2';
    target.append(p);
    document.body.append(document.createTextNode('\n'));
    state = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await tick();
    expect(target.textContent).toBe('VIP');
    expect(target.querySelectorAll('template')).toHaveLength(1);
    swapper.apply(set());
    expect(Array.from(target.childNodes)).toEqual([h1, tpl, p]);
    expect(errors).toEqual([]);
  });

  it('keeps a late original child when apply() runs before its mutation record is delivered', async () => {
    const h1 = document.createElement('h1');
    h1.textContent = 'O1';
    const tpl = template('VI');
    const target = hero(h1, tpl);
    document.body.append(target);
    await tick();
    paint();
    tpl.content.append('P');
    const p = document.createElement('p');
    p.textContent = 'O2';
    target.append(p);
    document.body.append(document.createTextNode('\n'));
    // A page's DOMContentLoaded or readystatechange listener changing membership, synchronously.
    swapper.apply(set('vip'));
    await tick();
    expect(target.textContent).toBe('VIP');
    swapper.apply(set());
    expect(Array.from(target.childNodes)).toEqual([h1, tpl, p]);
  });

  it('follows membership changes while a template is still open', async () => {
    const target = hero(document.createTextNode('ORIG'));
    document.body.append(target, template('VI'));
    await tick();
    paint();
    expect(target.textContent).toBe('VI');
    swapper.apply(set());
    expect(target.textContent).toBe('ORIG');
    swapper.apply(set('vip'));
    expect(target.textContent).toBe('ORIG');
    paint();
    expect(target.textContent).toBe('VI');
  });

  it('asks for no frame without a template the parser may still be inside', async () => {
    const target = hero(document.createTextNode('ORIG'));
    document.body.append(target, document.createElement('p'));
    await tick();
    document.body.append(template('VIP'), document.createTextNode('\n'));
    await tick();
    expect(target.textContent).toBe('VIP');
    expect(raf).not.toHaveBeenCalled();
  });

  it('leaves the DOM as it is after stop(), a frame asked for before included', async () => {
    const target = hero(document.createTextNode('ORIG'));
    document.body.append(target, template('VI'));
    await tick();
    expect(raf).toHaveBeenCalledTimes(1);
    swapper.stop();
    paint();
    expect(target.textContent).toBe('ORIG');
    // Without an observer, no pass would ever replace a draft with the whole content.
    swapper.apply(set('vip'));
    paint();
    expect(target.textContent).toBe('ORIG');
    expect(raf).toHaveBeenCalledTimes(1);
  });
});
