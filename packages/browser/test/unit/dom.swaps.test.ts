import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SegletError } from '@seglet/core';
import { createSwapper, type Swapper } from '../../src/dom/createSwapper.js';
import { $, page, set, tick } from './swapPage.js';

describe('createSwapper', () => {
  let errors: SegletError[];
  let swapper: Swapper;
  beforeEach(() => {
    errors = [];
    swapper = createSwapper(document, { onError: (e) => errors.push(e) });
  });
  afterEach(() => {
    swapper.stop();
    document.body.replaceChildren();
    vi.restoreAllMocks();
  });

  it('data-seglet-show is hidden unless a member of any; data-seglet-hide the reverse', () => {
    page('<p id="s" data-seglet-show="vip, high-intent">offer</p><p id="h" data-seglet-hide="vip">upsell</p>'
      + '<p id="both" data-seglet-show="vip" data-seglet-hide="churn">b</p><p id="plain">x</p>');
    swapper.apply(set());
    expect([$('#s').hidden, $('#h').hidden, $('#both').hidden, $('#plain').hidden]).toEqual([true, false, true, false]);
    swapper.apply(set('high-intent'));
    expect([$('#s').hidden, $('#h').hidden, $('#both').hidden]).toEqual([false, false, true]);
    swapper.apply(set('vip'));
    expect([$('#s').hidden, $('#h').hidden, $('#both').hidden]).toEqual([false, true, false]);
    swapper.apply(set('vip', 'churn'));
    expect($('#both').hidden).toBe(true);
    expect(errors).toEqual([]);
  });

  it('touches hidden only when it changes', async () => {
    page('<p id="s" data-seglet-show="vip">x</p>');
    swapper.apply(set('vip'));
    const seen: MutationRecord[] = [];
    const watcher = new MutationObserver((records) => seen.push(...records));
    watcher.observe(document.body, { attributes: true, subtree: true });
    swapper.apply(set('vip'));
    swapper.apply(set('vip', 'other'));
    await tick();
    watcher.disconnect();
    expect(seen).toEqual([]);
  });

  it('a template fills its target with cloned content on enter and puts the original nodes back on exit', () => {
    page('<div id="hero"><h1 id="orig">Welcome</h1>text</div>'
      + '<template data-seglet-when="vip" data-seglet-into="#hero"><h1 class="vip">Hello VIP</h1><p data-seglet-hide="vip">never</p></template>');
    const original = $('#orig');
    swapper.apply(set());
    expect($('#hero').firstElementChild).toBe(original);
    swapper.apply(set('vip'));
    expect($('#hero .vip')?.textContent).toBe('Hello VIP');
    expect($('#hero p').hidden).toBe(true);
    expect(original.isConnected).toBe(false);
    const template = document.querySelector('template')!;
    expect(template.content.querySelector('.vip')).not.toBeNull();
    swapper.apply(set('vip'));
    expect(document.querySelectorAll('#hero .vip')).toHaveLength(1);
    swapper.apply(set());
    expect($('#hero').firstElementChild).toBe(original);
    expect($('#hero').textContent).toBe('Welcometext');
    swapper.apply(set('vip'));
    swapper.apply(set('vip'));
    expect($('#hero').textContent).toBe('Hello VIPnever');
  });

  it('a template inside <svg> (no HTML template: no content) fills nothing, is reported, and stops no other fill', () => {
    // It threw in importNode (swap_failed "TypeError ...") and the pass ended there: the targets
    // after it stayed unfilled, and no exit could restore theirs.
    // (happy-dom puts a <template> in <svg> in the SVG namespace, as browsers do; one in <math> it
    // makes an HTML template, unlike browsers, so <math> is not tried here.)
    page('<div id="a">A</div><div id="b">B</div>'
      + '<svg><template data-seglet-when="vip" data-seglet-into="#a"><text>svg</text></template></svg>'
      + '<template data-seglet-when="vip" data-seglet-into="#b"><i>B filled</i></template>');
    swapper.apply(set('vip'));
    expect([$('#a').innerHTML, $('#b').innerHTML]).toEqual(['A', '<i>B filled</i>']);
    swapper.apply(set());
    expect($('#b').innerHTML).toBe('B');
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['swap_failed', 'seglet: a template data-seglet-when="vip" inside <svg> or <math> is no HTML template: it fills nothing'],
    ]);
  });

  it('for one target, the first template in document order whose segment holds fills it', () => {
    page('<div id="hero">base</div>'
      + '<template data-seglet-when="vip" data-seglet-into="#hero"><b>vip</b></template>'
      + '<template data-seglet-when="new, returning" data-seglet-into="#hero"><b>visitor</b></template>');
    swapper.apply(set('returning'));
    expect($('#hero').textContent).toBe('visitor');
    swapper.apply(set('returning', 'vip'));
    expect($('#hero').textContent).toBe('vip');
    swapper.apply(set('new'));
    expect($('#hero').textContent).toBe('visitor');
    swapper.apply(set());
    expect($('#hero').textContent).toBe('base');
  });

  it('observe() gives elements added later the right state before the next task', async () => {
    page('<div id="root"></div>');
    swapper.apply(set('vip'));
    swapper.observe();
    const root = $('#root');
    const shown = document.createElement('p');
    shown.setAttribute('data-seglet-show', 'other');
    const hidden = document.createElement('p');
    hidden.setAttribute('data-seglet-hide', 'vip');
    const wrapper = document.createElement('section');
    wrapper.append(hidden);
    root.append(shown, wrapper);
    const target = document.createElement('div');
    target.id = 'late';
    target.textContent = 'late base';
    const tpl = document.createElement('template');
    tpl.setAttribute('data-seglet-when', 'vip');
    tpl.setAttribute('data-seglet-into', '#late');
    tpl.content.append(document.createTextNode('late vip'));
    root.append(target, tpl);
    await tick();
    expect(shown.hidden).toBe(true);
    expect(hidden.hidden).toBe(true);
    expect(target.textContent).toBe('late vip');
    shown.setAttribute('data-seglet-show', 'vip');
    await tick();
    expect(shown.hidden).toBe(false);
    swapper.stop();
    const after = document.createElement('p');
    after.setAttribute('data-seglet-show', 'nobody');
    root.append(after);
    await tick();
    expect(after.hidden).toBe(false);
  });

  it('applies inside shadow roots passed to apply(), then keeps them current and observed', async () => {
    page('<div id="host"></div>');
    const shadow = $('#host').attachShadow({ mode: 'open' });
    const inner = document.createElement('p');
    inner.setAttribute('data-seglet-show', 'vip');
    const target = document.createElement('div');
    target.id = 'slot';
    target.textContent = 'base';
    const tpl = document.createElement('template');
    tpl.setAttribute('data-seglet-when', 'vip');
    tpl.setAttribute('data-seglet-into', '#slot');
    tpl.content.append(document.createTextNode('shadow vip'));
    shadow.append(inner, target, tpl);
    swapper.observe();
    swapper.apply(set(), shadow);
    expect(inner.hidden).toBe(true);
    swapper.apply(set('vip'));
    expect(inner.hidden).toBe(false);
    expect(target.textContent).toBe('shadow vip');
    const added = document.createElement('p');
    added.setAttribute('data-seglet-hide', 'vip');
    shadow.append(added);
    await tick();
    expect(added.hidden).toBe(true);
  });

  it('reports a missing target, an invalid selector and unknown ids, once each, never throwing', () => {
    const known = (id: string): boolean => id === 'vip';
    swapper = createSwapper(document, { onError: (e) => errors.push(e), known });
    page('<template data-seglet-when="vip" data-seglet-into="#nowhere"><b>x</b></template>'
      + '<template data-seglet-when="vip" data-seglet-into="#bad[[selector"><b>x</b></template>'
      + '<template data-seglet-when="vip"><b>x</b></template>'
      + '<p data-seglet-show="ghost">x</p>');
    expect(() => swapper.apply(set('vip'))).not.toThrow();
    expect(() => swapper.apply(set())).not.toThrow();
    expect(errors.map((e) => e.code).sort()).toEqual(['swap_invalid_selector', 'swap_target_missing', 'swap_target_missing', 'unknown_segment']);
    expect(errors.every((e) => e.name === 'SegletError' && e.message.startsWith('seglet:'))).toBe(true);
    expect(errors.find((e) => e.code === 'unknown_segment')!.issues).toEqual([{ path: '/segments/ghost', message: expect.any(String) }]);
  });

  it('a throwing onError or known() does not escape', () => {
    swapper = createSwapper(document, { onError: () => { throw new Error('host bug'); }, known: () => { throw new Error('x'); } });
    page('<template data-seglet-when="vip" data-seglet-into="#nowhere"></template><p data-seglet-show="vip">x</p>');
    expect(() => swapper.apply(set('vip'))).not.toThrow();
  });

  it('an unexpected failure is reported as swap_failed, and other elements still get their state', () => {
    page('<p id="bad" data-seglet-show="vip">x</p><p id="good" data-seglet-show="vip">y</p>');
    const bad = $('#bad');
    Object.defineProperty(bad, 'toggleAttribute', { configurable: true, value: () => { throw new Error('hostile element'); } });
    expect(() => swapper.apply(set())).not.toThrow();
    expect($('#good').hidden).toBe(true);
    expect(errors.map((e) => e.code)).toEqual(['swap_failed']);
    expect(errors[0]!.cause).toBeInstanceOf(Error);
    Reflect.deleteProperty(bad, 'toggleAttribute');
  });

  it('apply(members, element) covers only that subtree', () => {
    page('<section id="a"><p id="in" data-seglet-show="vip">x</p></section><p id="out" data-seglet-show="vip">y</p>');
    swapper.apply(set(), $('#a'));
    expect($('#in').hidden).toBe(true);
    expect($('#out').hidden).toBe(false);
  });

  it('hostile strings in attributes and members never become markup', () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    page('<div id="t">base</div>');
    const el = document.createElement('p');
    el.setAttribute('data-seglet-show', hostile);
    const tpl = document.createElement('template');
    tpl.setAttribute('data-seglet-when', hostile);
    tpl.setAttribute('data-seglet-into', hostile);
    const tpl2 = document.createElement('template');
    tpl2.setAttribute('data-seglet-when', 'vip');
    tpl2.setAttribute('data-seglet-into', '#t');
    tpl2.content.append(document.createTextNode(hostile));
    document.body.append(el, tpl, tpl2);
    swapper.apply(set(hostile, 'vip'));
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect($('#t').textContent).toBe(hostile);
    expect($('#t').children).toHaveLength(0);
    expect(el.hidden).toBe(false);
    expect((window as unknown as Record<string, unknown>)['__pwned']).toBeUndefined();
    expect(errors.map((e) => e.code)).toContain('swap_invalid_selector');
  });

  it('adopts the edge hand-over: keeps agreeing content, restores originals on exit', () => {
    page('<div id="hero" data-seglet-applied="vip"><b id="edge">edge vip</b>'
      + '<template data-seglet-original><h1 id="orig">Welcome</h1></template></div>'
      + '<template data-seglet-when="vip" data-seglet-into="#hero"><b>vip</b></template>'
      + '<p id="promo" data-seglet-show="vip" data-seglet-applied="">promo</p>');
    const edgeNode = $('#edge');
    swapper.apply(set('vip'));
    expect($('#hero').firstElementChild).toBe(edgeNode);
    expect($('#promo').hidden).toBe(false);
    swapper.apply(set());
    expect($('#hero').textContent).toBe('Welcome');
    expect($('#hero #orig')).not.toBeNull();
    expect($('#hero').hasAttribute('data-seglet-applied')).toBe(false);
    expect($('#hero template')).toBeNull();
    expect($('#promo').hidden).toBe(true);
    swapper.apply(set('vip'));
    expect($('#hero').textContent).toBe('vip');
    swapper.apply(set());
    expect($('#hero').textContent).toBe('Welcome');
  });

  it('adopting the edge keeps a template inside its own target: exit restores the originals with it, entering again refills', () => {
    // What the browser leaves in #slot when it fills it itself (settle() keeps the template live in
    // the target), and the edge's output for the same page: the two must end up the same.
    const tpl = '<template data-seglet-when="vip" data-seglet-into="#slot"><b>vip</b></template>';
    page(`<div id="slot">${tpl}<p id="orig">old</p></div>`);
    swapper.apply(set('vip'));
    const browserFilled = $('#slot').outerHTML;
    swapper.apply(set());
    const browserExited = $('#slot').outerHTML;
    page(`<div id="slot" data-seglet-applied="vip">${tpl}<template data-seglet-original><p id="orig">old</p></template><b>vip</b></div>`);
    const kept = $('#slot template[data-seglet-when]');
    swapper.apply(set('vip'));
    expect($('#slot').hasAttribute('data-seglet-applied')).toBe(true);
    swapper.apply(set());
    expect($('#slot').outerHTML).toBe(browserExited);
    expect($('#slot').firstElementChild).toBe(kept);
    expect($('#orig')).not.toBeNull();
    swapper.apply(set('vip'));
    expect($('#slot').outerHTML).toBe(browserFilled);
    expect($('#slot').textContent).toBe('vip');
    swapper.apply(set());
    expect($('#slot').outerHTML).toBe(browserExited);
    expect(errors).toEqual([]);
  });

  it('adopting the edge takes as originals only the seglet templates ahead of data-seglet-original, never the edge\'s content', () => {
    // A seglet template in the fill content is the clone's, as in the browser's own fill: exit drops
    // it with the rest of the content. Edge content ahead of the originals (older layout) is dropped too.
    page('<div id="a" data-seglet-applied="vip"><b>edge</b><template data-seglet-original><p>orig a</p></template>'
      + '<template data-seglet-when="new" data-seglet-into="#b"><i>in content</i></template></div><div id="b">b</div>'
      + '<template data-seglet-when="vip" data-seglet-into="#a">x</template>');
    swapper.apply(set('vip'));
    swapper.apply(set());
    expect($('#a').outerHTML).toBe('<div id="a"><p>orig a</p></div>');
    swapper.apply(set('new'));
    expect($('#b').textContent).toBe('b');
    expect(errors).toEqual([]);
  });

  it('undoes the edge when memberships disagree: restores originals, or refills with the right template', () => {
    page('<div id="a" data-seglet-applied><b>edge</b><template data-seglet-original>orig a</template></div>'
      + '<div id="b" data-seglet-applied="vip"><b>edge vip</b><template data-seglet-original>orig b</template></div>'
      + '<template data-seglet-when="vip" data-seglet-into="#a"><i>vip a</i></template>'
      + '<template data-seglet-when="vip" data-seglet-into="#b"><i>vip b</i></template>'
      + '<template data-seglet-when="new" data-seglet-into="#b"><i>new b</i></template>');
    swapper.apply(set('new'));
    expect($('#a').textContent).toBe('orig a');
    expect($('#b').textContent).toBe('new b');
    swapper.apply(set());
    expect($('#b').textContent).toBe('orig b');
  });

  it('while parsing, fills a target the parser is still inside and keeps the rest of its original children for exit', async () => {
    let state: DocumentReadyState = 'loading';
    vi.spyOn(document, 'readyState', 'get').mockImplementation(() => state);
    swapper.apply(set('vip'));
    swapper.observe();
    const missing = document.createElement('template');
    missing.setAttribute('data-seglet-when', 'vip');
    missing.setAttribute('data-seglet-into', '#later');
    const tpl = document.createElement('template');
    tpl.setAttribute('data-seglet-when', 'vip');
    tpl.setAttribute('data-seglet-into', '#hero');
    tpl.content.append('vip text');
    const target = document.createElement('div');
    target.id = 'hero';
    target.append('part one');
    document.body.append(missing, tpl, target); // the parser is still inside #hero
    await tick();
    expect(target.textContent).toBe('vip text');
    const late = document.createElement('p');
    late.setAttribute('data-seglet-hide', 'vip');
    late.textContent = ' part two';
    target.append(late); // the parser appends more original children
    await tick();
    expect(target.textContent).toBe('vip text');
    document.body.append(document.createTextNode('\n')); // the parser moved past #hero
    await tick();
    expect(errors).toEqual([]);
    state = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(errors.map((e) => e.code)).toEqual(['swap_target_missing']);
    target.append(document.createElement('hr')); // after parsing, additions are the page's own
    await tick();
    expect(target.querySelector('hr')).not.toBeNull();
    swapper.apply(set());
    expect(target.textContent).toBe('part one part two');
    expect(late.hidden).toBe(false);
  });

  it('while parsing, waits for a template to be complete and for an edge-filled target to be closed', async () => {
    let state: DocumentReadyState = 'loading';
    vi.spyOn(document, 'readyState', 'get').mockImplementation(() => state);
    swapper.apply(set('vip'));
    swapper.observe();
    const target = document.createElement('div');
    target.id = 'edge';
    target.setAttribute('data-seglet-applied', 'vip');
    target.append('edge vip');
    document.body.append(target);
    const tpl = document.createElement('template');
    tpl.setAttribute('data-seglet-when', 'vip');
    tpl.setAttribute('data-seglet-into', '#edge');
    tpl.content.append('browser vip');
    await tick();
    const original = document.createElement('template');
    original.setAttribute('data-seglet-original', '');
    original.content.append('edge original');
    target.append(original);
    document.body.append(tpl); // closes #edge; the template is the last node so far
    await tick();
    expect(target.firstChild?.textContent).toBe('edge vip');
    document.body.append(document.createTextNode('\n'));
    state = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(target.firstChild?.textContent).toBe('edge vip');
    swapper.apply(set());
    expect(target.textContent).toBe('edge original');
  });
});

describe('createSwapper with a client-side router', () => {
  it('fills a target rendered again after a route change, from a template that stayed', async () => {
    // Test fixture only: the code under test never parses HTML.
    document.body.innerHTML = '<main id="app"><div id="hero">base</div></main>'
      + '<template data-seglet-when="vip" data-seglet-into="#hero"><b>vip</b></template>';
    const swapper = createSwapper(document);
    swapper.apply(new Set(['vip']));
    swapper.observe();
    const app = document.querySelector('#app')!;
    expect(app.textContent).toBe('vip');
    const fresh = document.createElement('div');
    fresh.id = 'hero';
    fresh.textContent = 'new route base';
    app.replaceChildren(fresh);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fresh.textContent).toBe('vip');
    swapper.apply(new Set());
    expect(fresh.textContent).toBe('new route base');
    swapper.stop();
    document.body.replaceChildren();
  });
});
