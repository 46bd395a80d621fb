import { describe, expect, it } from 'vitest';
import { planSelectors, SWAPS, widePlan } from '../src/planSelectors.js';

// The plan is a guess from the text; scanPage checks its counts and runs again when they miss.
describe('planSelectors', () => {
  it('narrows swaps and #id targets to the tag names around their attributes, with their counts', () => {
    const text = '<P class="x" DATA-SEGLET-SHOW="a" data-seglet-hide="b">1</P><a\thref="/" data-seglet-show="c">2</a><section id="hero">h</section>'
      + '<template data-seglet-when="a" data-seglet-into="#hero"></template><template data-seglet-when="a" data-seglet-into=".promo"></template>';
    expect(planSelectors(text, ['#hero', '.promo'])).toEqual({
      swaps: 'p[data-seglet-show],p[data-seglet-hide],a[data-seglet-show],a[data-seglet-hide]',
      swapCount: 3,
      targets: [
        { selector: '#hero', on: 'section#hero', count: 1 },
        { selector: '.promo', on: '.promo', count: null },
      ],
    });
  });

  it('counts every place an id value may stand (quoted, unquoted, spaced, after a quote or a slash) and nothing else', () => {
    const text = '<div id=t>1</div><p ID = \'t\'>2</p><b x="y"id="t">3</b><i/id="t">4</i><span data-id="t" title="t" id="tt">5</span>#t t';
    expect(planSelectors(text, ['#t']).targets).toEqual([{ selector: '#t', on: 'div#t,p#t,b#t,i#t', count: 4 }]);
  });

  it('plans no swap selector, and a zero count, when the text names none', () => {
    expect(planSelectors('<div id="a">x</div>', ['#nowhere'])).toEqual({ swaps: '', swapCount: 0, targets: [{ selector: '#nowhere', on: '', count: 0 }] });
  });

  it('leaves swaps as written when an attribute name is not plainly inside a tag', () => {
    expect(planSelectors('<p>use data-seglet-show on an element</p><p data-seglet-show="a">x</p>', [])).toMatchObject({ swaps: SWAPS, swapCount: null });
    expect(planSelectors('data-seglet-hide first', [])).toMatchObject({ swaps: SWAPS, swapCount: null });
    expect(planSelectors('<my_el data-seglet-show="a">x</my_el>', [])).toMatchObject({ swaps: SWAPS, swapCount: null });
  });

  it('leaves an id as written when an id value holds a character reference, the id is everywhere, or the selector is not a plain #id', () => {
    const refs = '<div id="&#104;ero">x</div><div id="hero">y</div>';
    expect(planSelectors(refs, ['#hero']).targets).toEqual([{ selector: '#hero', on: '#hero', count: null }]);
    const everywhere = `<div id="e">${'e'.repeat(300)}</div>`;
    expect(planSelectors(everywhere, ['#e']).targets).toEqual([{ selector: '#e', on: '#e', count: null }]);
    expect(planSelectors('<div id="a:b">x</div>', ['#a\\:b', 'div#a', '#a b']).targets.map((t) => t.on)).toEqual(['#a\\:b', 'div#a', '#a b']);
  });

  it('can be fooled by attribute values holding tags, which the counts then show (see the second-pass tests in rewrite.test.ts)', () => {
    const swap = `<div title='z <p a="x' data-b=" b="y" data-seglet-show="returning" hidden>x</div>`;
    expect(planSelectors(swap, [])).toMatchObject({ swaps: 'p[data-seglet-show],p[data-seglet-hide]', swapCount: 1 });
    const id = `<section data-x='<div id="hero"' id="hero">x</section>`;
    expect(planSelectors(id, ['#hero']).targets).toEqual([{ selector: '#hero', on: 'div#hero', count: 2 }]);
  });

  it('widePlan puts every selector back as written', () => {
    const plan = planSelectors('<p data-seglet-show="a">x</p><b id="h">y</b>', ['#h', '.c']);
    expect(widePlan(plan)).toEqual({ swaps: SWAPS, swapCount: null, targets: [{ selector: '#h', on: '#h', count: null }, { selector: '.c', on: '.c', count: null }] });
  });
});
