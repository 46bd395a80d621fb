// A target whose content the HTML parser reads as text (<title>, <textarea>, <script>, ...): markup
// spliced into it is shown (or run) as text, so the edge leaves it to the browser's DOM fill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, into, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

describe('a data-seglet-into target whose content is raw text', () => {
  it.each([
    ['title', '<title id="t">Shop</title>', 'Welcome back'],
    ['textarea', '<textarea id="t">Your message</textarea>', 'Tell us about your last order'],
    ['script', '<script id="t">var greeting = "hi";</script>', 'var greeting = "welcome back";'],
    ['style', '<style id="t">p { color: red }</style>', 'p { color: green }'],
  ])('<%s> is left to the browser, never given <template> markup as text', async (tag, target, content) => {
    await edge.reported();
    // Its own id: a problem is reported once per rule set and selector.
    const id = `raw-${tag}`;
    const page = `${target.replace('id="t"', `id="${id}"`)}${into(id, content)}<p data-seglet-show="returning" hidden>x</p>`;
    const url = edge.serve(`/raw-${tag}`, html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page.replace('data-seglet-show="returning" hidden>', 'data-seglet-show="returning" data-seglet-applied="">'));
    expect((await edge.reported()).reported.map((r) => r.code)).toEqual(['swap_failed']);
  });
});
