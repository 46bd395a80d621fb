// Which template fills a target, and that exit always brings the originals back: templates filled
// while parsing, after an edge hand-over, chosen through apply(root), removed or re-aimed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SegletError } from '@seglet/core';
import { createSwapper, type Swapper } from '../../src/dom/createSwapper.js';
import { createSegments } from '../../src/index.js';
import { $, page, set, tick } from './swapPage.js';

function template(when: string, into: string, text: string): HTMLTemplateElement {
  const tpl = document.createElement('template');
  tpl.setAttribute('data-seglet-when', when);
  tpl.setAttribute('data-seglet-into', into);
  tpl.content.append(text);
  return tpl;
}

describe('swaps: choosing the template and restoring the originals', () => {
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

  it('a template inside its own target, filled while the parser is inside the target, stays there and exit restores', async () => {
    let state: DocumentReadyState = 'loading';
    vi.spyOn(document, 'readyState', 'get').mockImplementation(() => state);
    swapper.apply(set('vip'));
    swapper.observe();
    const hero = document.createElement('div');
    hero.id = 'hero';
    const h1 = document.createElement('h1');
    h1.textContent = 'O1';
    const tpl = template('vip', '#hero', 'VIP');
    const p = document.createElement('p');
    p.textContent = 'O2';
    hero.append(h1, tpl, p);
    document.body.append(hero); // the parser is still inside #hero
    await tick();
    expect(hero.textContent).toBe('VIP');
    await tick();
    expect(tpl.parentNode).toBe(hero);
    document.body.append(document.createTextNode('\n'));
    state = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await tick();
    swapper.apply(set());
    expect(hero.textContent).toBe('O1O2');
    expect(Array.from(hero.childNodes)).toEqual([h1, tpl, p]);
    swapper.apply(set('vip'));
    expect(hero.textContent).toBe('VIP');
    expect(errors).toEqual([]);
  });

  it('templates side by side deeper inside their target all go back to their places on exit', () => {
    page('<div id="hero"><div id="wrap"><template data-seglet-when="a" data-seglet-into="#hero">A</template>'
      + '<template data-seglet-when="b" data-seglet-into="#hero">B</template></div></div>');
    const templates = Array.from(document.querySelectorAll('template'));
    swapper.apply(set('a'));
    expect($('#hero').textContent).toBe('A');
    swapper.apply(set());
    expect(Array.from($('#wrap').childNodes)).toEqual(templates);
    swapper.apply(set('a', 'b'));
    expect($('#hero').textContent).toBe('A');
    expect(errors).toEqual([]);
  });

  it('a draft template deeper inside its open target goes back before what the parser appended after it', async () => {
    let state: DocumentReadyState = 'loading';
    vi.spyOn(document, 'readyState', 'get').mockImplementation(() => state);
    const frames: FrameRequestCallback[] = [];
    vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation((callback) => frames.push(callback));
    swapper.apply(set('a', 'b'));
    swapper.observe();
    const hero = document.createElement('div');
    hero.id = 'hero';
    const wrap = document.createElement('div');
    const first = template('a', '#hero', 'A');
    wrap.append(first);
    hero.append(wrap);
    document.body.append(hero); // the parser is inside the first template
    await tick();
    for (const callback of frames.splice(0)) callback(0);
    expect(hero.textContent).toBe('A');
    const second = template('b', '#hero', 'B');
    wrap.append(second); // the parser goes on in the wrapper, away with the originals
    document.body.append(document.createTextNode('\n'));
    state = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    swapper.apply(set());
    expect(Array.from(wrap.childNodes)).toEqual([first, second]);
    swapper.apply(set('a', 'b'));
    expect(hero.textContent).toBe('A');
    expect(errors).toEqual([]);
  });

  it('keeps the edge\'s content only when the edge chose the template the browser chooses', () => {
    page('<div id="hero" data-seglet-applied="x"><template data-seglet-original>ORIG</template>X-CONTENT</div>'
      + '<template data-seglet-when="x" data-seglet-into="#hero">X-CONTENT</template>'
      + '<template data-seglet-when="x,y" data-seglet-into="#hero">XY-CONTENT</template>');
    swapper.apply(set('y'));
    expect($('#hero').textContent).toBe('XY-CONTENT');
    swapper.apply(set());
    expect($('#hero').textContent).toBe('ORIG');
  });

  it('keeps the edge\'s content when the browser chooses the template the edge used', () => {
    page('<div id="hero" data-seglet-applied="y"><template data-seglet-original>ORIG</template><b id="edge">XY-CONTENT</b></div>'
      + '<template data-seglet-when="x" data-seglet-into="#hero">X-CONTENT</template>'
      + '<template data-seglet-when="x,y" data-seglet-into="#hero"><b>XY-CONTENT</b></template>');
    const edge = $('#edge');
    swapper.apply(set('y'));
    expect(edge.isConnected).toBe(true);
    swapper.apply(set());
    expect($('#hero').textContent).toBe('ORIG');
  });

  it('apply(members, element) chooses among every template for a target, in and out of the element', () => {
    page('<div id="hero">ORIG</div><template data-seglet-when="buyer" data-seglet-into="#hero">BUYER</template>'
      + '<section id="s"><template data-seglet-when="other" data-seglet-into="#hero">OTHER</template></section>');
    swapper.apply(set('buyer'), $('#s'));
    expect($('#hero').textContent).toBe('BUYER');
    swapper.apply(set('buyer', 'other'), $('#s'));
    expect($('#hero').textContent).toBe('BUYER');
    swapper.apply(set('other'), $('#s'));
    expect($('#hero').textContent).toBe('OTHER');
    swapper.apply(set(), $('#s'));
    expect($('#hero').textContent).toBe('ORIG');
  });

  it('a template removed while its target is filled: the originals come back', async () => {
    page('<div id="hero"><i id="orig">ORIG</i></div><template data-seglet-when="vip" data-seglet-into="#hero">VIP</template>');
    const orig = $('#orig');
    swapper.apply(set('vip'));
    swapper.observe();
    expect($('#hero').textContent).toBe('VIP');
    document.querySelector('template')!.remove();
    await tick();
    expect($('#hero').firstChild).toBe(orig);
    swapper.apply(set());
    expect($('#hero').textContent).toBe('ORIG');
  });

  it('a template removed while its target is filled, without observe(): the next apply restores', () => {
    page('<div id="hero">ORIG</div><template data-seglet-when="vip" data-seglet-into="#hero">VIP</template>');
    swapper.apply(set('vip'));
    document.querySelector('template')!.remove();
    swapper.apply(set('vip'));
    expect($('#hero').textContent).toBe('ORIG');
  });

  it('a template aimed at another target while filled: the old target gets its originals back', async () => {
    page('<div id="a">A</div><div id="b">B</div><template data-seglet-when="vip" data-seglet-into="#a">VIP</template>');
    swapper.apply(set('vip'));
    swapper.observe();
    document.querySelector('template')!.setAttribute('data-seglet-into', '#b');
    await tick();
    expect([$('#a').textContent, $('#b').textContent]).toEqual(['A', 'VIP']);
    swapper.apply(set());
    expect([$('#a').textContent, $('#b').textContent]).toEqual(['A', 'B']);
  });

  it('a template aimed at another target, without observe(): the next apply restores the old one', () => {
    page('<div id="a">A</div><div id="b">B</div><template data-seglet-when="vip" data-seglet-into="#a">VIP</template>');
    swapper.apply(set('vip'));
    document.querySelector('template')!.setAttribute('data-seglet-into', '#b');
    swapper.apply(set());
    expect([$('#a').textContent, $('#b').textContent]).toEqual(['A', 'B']);
    expect(errors).toEqual([]);
  });
});

describe('swaps through the facade', () => {
  afterEach(() => {
    document.body.replaceChildren();
    localStorage.clear();
  });

  it('segments.apply(element) keeps the earlier template outside the element that holds', async () => {
    page('<div id="hero">ORIG</div><template data-seglet-when="buyer" data-seglet-into="#hero">BUYER</template>'
      + '<section id="s"><template data-seglet-when="other" data-seglet-into="#hero">OTHER</template></section>');
    const errors: SegletError[] = [];
    const s = createSegments({
      rules: { version: 1, segments: { buyer: { when: { count: 'add_to_cart', gte: 2 } }, other: { when: { count: 'other', gte: 1 } } } },
      storage: 'memory', collect: false, onError: (e) => errors.push(e),
    });
    try {
      await s.ready;
      s.track('add_to_cart');
      s.track('add_to_cart');
      expect(s.has('buyer')).toBe(true);
      s.apply($('#s'));
      expect($('#hero').textContent).toBe('BUYER');
      expect(errors).toEqual([]);
    } finally {
      s.destroy();
    }
  });
});
