import { describe, expect, it } from 'vitest';
import { planSelectors, SWAPS, widePlan } from '../src/planSelectors.js';

// The plan is a guess from the text; scanPage checks its counts and runs again when they miss.
describe('planSelectors', () => {
  it('narrows swaps and #id targets to the tag names around their attributes, with their counts', () => {
    const text = '<P class="x" DATA-SEGLET-SHOW="a" data-seglet-hide="b">1</P><a\thref="/?a=1&amp;b=2" data-seglet-show="c">2</a><section id="hero">h</section>'
      + '<template data-seglet-when="a" data-seglet-into="#hero"></template><b id="promo">&nbsp;</b>';
    expect(planSelectors(text, ['#hero', '#promo'])).toEqual({
      swaps: 'p[data-seglet-show],p[data-seglet-hide],a[data-seglet-show],a[data-seglet-hide]',
      swapCount: 3,
      targets: [
        { selector: '#hero', on: 'section#hero', count: 1 },
        { selector: '#promo', on: 'b#promo', count: 1 },
      ],
      // A template's start tag comes before the last id (promo's).
      nested: true,
    });
  });

  it('narrows nothing when one selector cannot be narrowed: every tag would be read anyway', () => {
    const text = '<p data-seglet-show="a">1</p><section id="hero">h</section><div class="promo">p</div>';
    expect(planSelectors(text, ['#hero', '.promo'])).toEqual(widePlan(['#hero', '.promo']));
    expect(planSelectors(text, ['#hero'])).toMatchObject({ swaps: 'p[data-seglet-show],p[data-seglet-hide]', targets: [{ on: 'section#hero' }] });
    expect(planSelectors(`${text}<!-- data-seglet-hide -->`, ['#hero'])).toEqual(widePlan(['#hero']));
  });

  it('counts every place an id value may stand (quoted, unquoted, spaced, after a quote or a slash) and nothing else', () => {
    const text = '<div id=t>1</div><p ID = \'t\'>2</p><b x="y"id="t">3</b><i/id="t">4</i><span data-id="t" title="t" id="tt">5</span>#t t';
    expect(planSelectors(text, ['#t']).targets).toEqual([{ selector: '#t', on: 'div#t,p#t,b#t,i#t', count: 4 }]);
  });

  it('plans no swap selector, and a zero count, when the text names none', () => {
    expect(planSelectors('<div id="a">x</div>', ['#nowhere'])).toEqual({ swaps: '', swapCount: 0, targets: [{ selector: '#nowhere', on: '', count: 0 }], nested: false });
  });

  it('leaves the selectors as written when an attribute name is not plainly inside a tag', () => {
    expect(planSelectors('<p>use data-seglet-show on an element</p><p data-seglet-show="a">x</p>', [])).toMatchObject({ swaps: SWAPS, swapCount: null });
    expect(planSelectors('data-seglet-hide first', [])).toMatchObject({ swaps: SWAPS, swapCount: null });
    expect(planSelectors('<my_el data-seglet-show="a">x</my_el>', [])).toMatchObject({ swaps: SWAPS, swapCount: null });
  });

  it('leaves the selectors as written when an id value may hold a character reference, the id or & is everywhere, or a selector is not a plain #id', () => {
    const wideHero = { swaps: SWAPS, swapCount: null, targets: [{ selector: '#hero', on: '#hero', count: null }], nested: true };
    expect(planSelectors('<div id="&#104;ero">x</div><div id="hero">y</div>', ['#hero'])).toEqual(wideHero);
    expect(planSelectors('<div ID = h&#101;ro>x</div><div id="hero">y</div>', ['#hero'])).toEqual(wideHero);
    expect(planSelectors(`<div id="hero">${'&amp;'.repeat(201)}</div>`, ['#hero'])).toEqual(wideHero);
    expect(planSelectors(`<div id="hero">${'&amp;'.repeat(190)} a=&amp; title="x &amp;"</div>`, ['#hero']).targets).toEqual([{ selector: '#hero', on: 'div#hero', count: 1 }]);
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

  it('says a target may be inside a template when a template start tag comes before the last place its id stands', () => {
    const nested = (text: string): boolean => planSelectors(text, ['#a', '#b']).nested;
    expect(nested('<p id="a">1</p><p id="b">2</p><template data-seglet-when="x" data-seglet-into="#a"></template>')).toBe(false);
    expect(nested('<p id="a">1</p><TEMPLATE><p id="b">2</p></TEMPLATE>')).toBe(true);
    expect(nested('<template></template><p id="a">1</p>')).toBe(true);
    // A template mentioned where the parser sees none still counts: the guess only errs towards depth.
    expect(nested('<!-- <template> --><p id="a">1</p>')).toBe(true);
    expect(nested('<p>no ids</p><template></template>')).toBe(false);
  });

  it('widePlan puts every selector back as written', () => {
    expect(widePlan(['#h', '.c'])).toEqual({ swaps: SWAPS, swapCount: null, targets: [{ selector: '#h', on: '#h', count: null }, { selector: '.c', on: '.c', count: null }], nested: true });
  });
});
