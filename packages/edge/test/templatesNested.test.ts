// Templates where the browser's querySelectorAll sees them, or does not: inside another template's
// content (never), inside their own target (kept live in it by the browser's fill).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const into = (when: string, selector: string, content: string): string => `<template data-seglet-when="${when}" data-seglet-into="${selector}">${content}</template>`;
const returning = { headers: { cookie: 'seglet_m=returning' } };

describe('a seglet template inside another template\'s content', () => {
  it('fills nothing (querySelectorAll does not reach it)', async () => {
    const page = `<div id="n1">old</div><template data-seglet-when="high-intent" data-seglet-into="#n1"><p>outer</p>${into('returning', '#n1', 'inner')}</template>`;
    const url = edge.serve('/nested', html(page));
    const res = await edge.get(url, returning);
    // The browser's fillTargets only sees the outer template (which does not hold): #n1 keeps its children.
    expect(res.text).toBe(page);
  });

  it('is not reported when its target is missing: the browser never sees it either', async () => {
    await edge.reported();
    const page = `<template>${into('returning', '#elsewhere', 'inner')}</template><p data-seglet-show="returning" hidden>x</p>`;
    const url = edge.serve('/nested-missing', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(page.replace('data-seglet-show="returning" hidden>', 'data-seglet-show="returning" data-seglet-applied="">'));
    expect((await edge.reported()).reported).toEqual([]);
  });

  it('fills nothing inside a plain template either, and does not hide a later holding one', async () => {
    const page = `<template><div>${into('returning', '#n2', 'inner')}</div></template><div id="n2">old</div>${into('returning', '#n2', 'outer')}`;
    const url = edge.serve('/nested-plain', html(page, { 'cache-control': 'public' }));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(`<template><div>${into('returning', '#n2', 'inner')}</div></template><div id="n2" data-seglet-applied="returning"><template data-seglet-original>old</template>outer</div>${into('returning', '#n2', 'outer')}`);
    expect(res.headers.get('cache-control')).toBe('private');
  });
});

describe('a seglet template inside the target it fills (or another template fills)', () => {
  it('stays a live child of the target, not buried in data-seglet-original', async () => {
    const page = `<div id="slot">${into('returning', '#slot', 'new')}<p>old</p></div>`;
    const url = edge.serve('/inside-target', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toContain('data-seglet-applied="returning"');
    // The browser keeps templates inside a target in it ("they are inert: removed with the
    // originals, no pass would find them again, and exit would never bring the original children back").
    const original = /<template data-seglet-original>([\s\S]*?)<\/template>new<\/div>$/.exec(res.text);
    const outside = res.text.replace(/<template data-seglet-original>[\s\S]*<\/template>new<\/div>$/, '');
    expect(outside).toContain('<template data-seglet-when="returning" data-seglet-into="#slot">');
    expect(original?.[1] ?? '').not.toContain('data-seglet-when');
    expect(res.text).toBe(`<div id="slot" data-seglet-applied="returning">${into('returning', '#slot', 'new')}<template data-seglet-original><p>old</p></template>new</div>`);
  });

  it('one deeper inside is lifted to the start of the target, as the browser lifts it; one in another target stays', async () => {
    const page = `<div id="a"><p>${into('returning', '#a', 'A')}text</p>${into('high-intent', '#b', 'B')}</div><div id="b">${into('high-intent', '#a', 'x')}b</div>`;
    const url = edge.serve('/inside-deeper', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(`<div id="a" data-seglet-applied="returning">${into('returning', '#a', 'A')}${into('high-intent', '#b', 'B')}<template data-seglet-original><p>text</p></template>A</div><div id="b">${into('high-intent', '#a', 'x')}b</div>`);
  });

  it('a target before its template, and nested filled targets: the outermost keeps it', async () => {
    const page = `<section id="outer"><div id="inner">${into('returning', '#inner', 'I')}i</div>o</section>${into('returning', '#outer', 'O')}`;
    const url = edge.serve('/inside-nested-targets', html(page));
    const res = await edge.get(url, returning);
    expect(res.text).toBe(`<section id="outer" data-seglet-applied="returning">${into('returning', '#inner', 'I')}<template data-seglet-original><div id="inner" data-seglet-applied="returning"><template data-seglet-original>i</template>I</div>o</template>O</section>${into('returning', '#outer', 'O')}`);
  });
});
