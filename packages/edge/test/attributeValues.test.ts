// Attribute names and values as the browser reads them: HTMLRewriter hands values over as written,
// the browser's getAttribute decodes character references; names are case-insensitive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const returning = { headers: { cookie: 'seglet_m=returning' } };

describe('attribute values with character references', () => {
  it('data-seglet-show with an encoded comma (&#44;) holds for a member of either id', async () => {
    const url = edge.serve('/entity-show', html('<p data-seglet-show="high-intent&#44;returning" hidden>x</p>'));
    const res = await edge.get(url, returning);
    // getAttribute in the browser gives "high-intent,returning": shown to a returning visitor.
    expect(res.text).toBe('<p data-seglet-show="high-intent&#44;returning" data-seglet-applied="">x</p>');
  });

  it('data-seglet-into="&#35;t" is the #id selector "#t" (guaranteed)', async () => {
    const url = edge.serve('/entity-into', html('<div id="t">old</div><template data-seglet-when="returning" data-seglet-into="&#35;t">new</template>'));
    const res = await edge.get(url, returning);
    expect(res.text).toContain('<div id="t" data-seglet-applied="returning"><template data-seglet-original>old</template>new</div>');
  });

  it('data-seglet-hide and data-seglet-when with named and hex references', async () => {
    const url = edge.serve('/entity-when', html('<p data-seglet-hide="x&comma;returning">h</p><div id="w">old</div><template data-seglet-when="high-intent&#x2C; returning" data-seglet-into="#w">new</template>'));
    const res = await edge.get(url, returning);
    expect(res.text).toContain('<p data-seglet-hide="x&comma;returning" hidden="" data-seglet-applied="">h</p>');
    expect(res.text).toContain('<div id="w" data-seglet-applied="returning"><template data-seglet-original>old</template>new</div>');
  });
});

describe('names in upper case', () => {
  it('an upper-case HIDDEN attribute is removed for a member', async () => {
    const url = edge.serve('/upper-hidden', html('<p data-seglet-show="returning" HIDDEN>x</p>'));
    expect((await edge.get(url, returning)).text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>');
  });

  it('upper-case TEMPLATE / DATA-SEGLET-* names, and a child combinator selector', async () => {
    const url = edge.serve('/upper-template', html('<TEMPLATE DATA-SEGLET-WHEN="returning" DATA-SEGLET-INTO="#u">new</TEMPLATE><div id="u">old</div>'));
    expect((await edge.get(url, returning)).text).toContain('<div id="u" data-seglet-applied="returning"><template data-seglet-original>old</template>new</div>');
    const url2 = edge.serve('/child-combinator', html('<div id="v"><p>a</p></div><template data-seglet-when="returning" data-seglet-into="div#v > p">new</template>'));
    expect((await edge.get(url2, returning)).text).toContain('<div id="v"><p data-seglet-applied="returning"><template data-seglet-original>a</template>new</p></div>');
  });
});
