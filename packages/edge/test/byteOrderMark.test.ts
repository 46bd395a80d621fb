// A UTF-8 byte order mark decides a page's encoding before anything in it (a `<meta>` charset
// included): the rewritten page must start with it too, or a browser reads the page differently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const withBom = (page: string): Buffer => Buffer.concat([BOM, Buffer.from(page, 'utf8')]);

describe('a page that starts with a UTF-8 byte order mark', () => {
  it('keeps it ahead of a <meta> naming another charset (Content-Type names none), so é still reads as é', async () => {
    const url = edge.serve('/bom-meta', { body: withBom('<meta charset="windows-1252"><p data-seglet-show="returning" hidden>x</p>é'), headers: { 'content-type': 'text/html' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.bytes).toEqual(withBom('<meta charset="windows-1252"><p data-seglet-show="returning" data-seglet-applied="">x</p>é'));
    expect(res.headers.get('cache-control')).toBe('private');
  });

  it('keeps it when a target is filled (the page is spliced) and when the only attribute is data-seglet-click', async () => {
    const fill = edge.serve('/bom-fill', { body: withBom('<div id="hero">a</div><template data-seglet-when="returning" data-seglet-into="#hero">b</template>'), headers: { 'content-type': 'text/html; charset=utf-8' } });
    const filled = await edge.get(fill, { headers: { cookie: 'seglet_m=returning' } });
    expect(filled.bytes).toEqual(withBom('<div id="hero" data-seglet-applied="returning"><template data-seglet-original>a</template>b</div><template data-seglet-when="returning" data-seglet-into="#hero">b</template>'));
    const click = edge.serve('/bom-click', { body: withBom('<a data-seglet-click="buy">é</a>'), headers: { 'content-type': 'text/html' } });
    const clicked = await edge.get(click, { headers: { cookie: 'seglet_m=returning' } });
    expect(clicked.bytes).toEqual(withBom('<a data-seglet-click="buy">é</a>'));
    expect(clicked.headers.get('cache-control')).toBe('private');
  });

  it('writes exactly one: a second U+FEFF right after it is text of the page and stays, and a page without one gets none', async () => {
    const twice = Buffer.concat([BOM, withBom('<p data-seglet-show="returning" hidden>x</p>')]);
    const url = edge.serve('/bom-twice', { body: twice, headers: { 'content-type': 'text/html' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.bytes).toEqual(Buffer.concat([BOM, withBom('<p data-seglet-show="returning" data-seglet-applied="">x</p>')]));
    const none = edge.serve('/bom-none', { body: '<p data-seglet-show="returning" hidden>x</p>', headers: { 'content-type': 'text/html' } });
    expect((await edge.get(none, { headers: { cookie: 'seglet_m=returning' } })).text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>');
  });
});
