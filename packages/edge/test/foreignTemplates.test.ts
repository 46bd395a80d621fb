// A <template> inside <svg> or <math> is foreign content: the HTML parser makes it an SVG or
// MathML element named "template", not an HTMLTemplateElement with content, so the browser's swap
// never fills with it. The edge leaves it alone too, and says so: it fills nothing anywhere. A
// target in there is left to the browser, whose DOM fill works where a splice would not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, into, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const returning = { headers: { cookie: 'seglet_m=returning' } };

describe('a seglet template in foreign content (<svg>, <math>)', () => {
  it.each([
    ['svg', '<svg viewBox="0 0 10 10">', '</svg>'],
    ['math', '<math>', '</math>'],
  ])('inside <%s> fills nothing, is reported, and does not stop a later template', async (name, open, close) => {
    await edge.reported();
    const page = `<div id="f-${name}">old</div><div id="g-${name}">old</div>${open}${into(`f-${name}`, '<text>new</text>')}${close}${into(`g-${name}`, 'later')}`;
    const url = edge.serve(`/foreign-${name}`, html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(`<div id="f-${name}">old</div><div id="g-${name}" data-seglet-applied="returning"><template data-seglet-original>old</template>later</div>${open}${into(`f-${name}`, '<text>new</text>')}${close}${into(`g-${name}`, 'later')}`);
    expect((await edge.reported()).reported).toEqual([{
      code: 'swap_failed', path: '',
      message: `seglet: a template data-seglet-when="returning" inside <${name}> is not a template to the HTML parser (it is ${name === 'svg' ? 'SVG' : 'MathML'}); neither the edge nor the browser fills with it: move it out of the <${name}>`,
    }]);
  });

  it('inside <foreignObject> is an HTML template again, and fills its target', async () => {
    const page = `<div id="fo">old</div><svg><foreignObject>${into('fo', '<b>new</b>')}</foreignObject></svg>`;
    const url = edge.serve('/foreign-object', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(`<div id="fo" data-seglet-applied="returning"><template data-seglet-original>old</template><b>new</b></div><svg><foreignObject>${into('fo', '<b>new</b>')}</foreignObject></svg>`);
  });

  it('does not hide a target inside an <svg> template from the selector: it holds no template content', async () => {
    await edge.reported();
    // The <div> in <foreignObject> is HTML again, a child of the <svg> element "template" that querySelector finds.
    const inside = (children: string): string => `<svg><template><foreignObject><div id="in-svg">${children}</div></foreignObject></template></svg>`;
    const page = `${inside('old')}${into('in-svg', 'new')}`;
    const url = edge.serve('/foreign-around-target', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(`${inside('<template data-seglet-original>old</template>new').replace('id="in-svg"', 'id="in-svg" data-seglet-applied="returning"')}${into('in-svg', 'new')}`);
    expect((await edge.reported()).reported).toEqual([]);
  });
});

describe('a data-seglet-into target in foreign content (<svg>, <math>)', () => {
  it('is left to the browser: spliced in, its data-seglet-original would be no HTML template, and the browser could not restore it', async () => {
    await edge.reported();
    const page = `<svg><g id="in-svg-target"><circle r="1"></circle></g></svg>${into('in-svg-target', '<rect width="1" height="1"></rect>')}<p data-seglet-show="returning" hidden>x</p>`;
    const url = edge.serve('/foreign-target', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(page.replace('data-seglet-show="returning" hidden>', 'data-seglet-show="returning" data-seglet-applied="">'));
    expect((await edge.reported()).reported).toEqual([{
      code: 'swap_failed', path: '',
      message: 'seglet: data-seglet-into="#in-svg-target" matches an element inside <svg> or <math>, where the parser would read the fill as SVG or MathML; left to the browser',
    }]);
  });
});
