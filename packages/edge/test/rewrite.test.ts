import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

describe('rewriting in workerd (HTMLRewriter)', () => {
  it('sets and removes hidden for data-seglet-show / data-seglet-hide (comma lists: any of them), marking changed elements', async () => {
    const url = edge.serve('/vis', html([
      '<p id="a" data-seglet-show="high-intent" hidden>for members</p>',
      '<p id="b" data-seglet-show="returning, high-intent">either</p>',
      '<p id="c" data-seglet-show="returning">not a member</p>',
      '<p id="d" data-seglet-hide="high-intent">hidden from members</p>',
      '<p id="e" data-seglet-hide="returning" hidden>shown to non-members</p>',
      '<p id="f" data-seglet-show="high-intent" data-seglet-hide="mobile">both allow</p>',
      '<P ID="g" DATA-SEGLET-SHOW="returning">upper case</P>',
    ].join('\n')));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=high-intent' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe([
      '<p id="a" data-seglet-show="high-intent" data-seglet-applied="">for members</p>',
      '<p id="b" data-seglet-show="returning, high-intent">either</p>',
      '<p id="c" data-seglet-show="returning" hidden="" data-seglet-applied="">not a member</p>',
      '<p id="d" data-seglet-hide="high-intent" hidden="" data-seglet-applied="">hidden from members</p>',
      '<p id="e" data-seglet-hide="returning" data-seglet-applied="">shown to non-members</p>',
      '<p id="f" data-seglet-show="high-intent" data-seglet-hide="mobile">both allow</p>',
      '<P ID="g" DATA-SEGLET-SHOW="returning" hidden="" data-seglet-applied="">upper case</P>',
    ].join('\n'));
  });

  it('uses request-evaluated segments in the page (a phone sees the mobile block)', async () => {
    const url = edge.serve('/phone', html('<div data-seglet-show="mobile" hidden>app banner</div>'));
    const phone = await edge.get(url, { headers: { 'user-agent': IPHONE } });
    expect(phone.text).toBe('<div data-seglet-show="mobile" data-seglet-applied="">app banner</div>');
    const desktop = await edge.get(url, { headers: { cookie: 'seglet_m=mobile' } });
    expect(desktop.text).toBe('<div data-seglet-show="mobile" hidden>app banner</div>');
  });

  it('fills a target from the first holding template, keeping the original children in <template data-seglet-original>', async () => {
    const url = edge.serve('/fill', html([
      '<div id="hero"><h1>Welcome</h1></div>',
      '<template data-seglet-when="returning" data-seglet-into="#hero"><h1>Welcome back</h1></template>',
      '<template data-seglet-when="high-intent, returning" data-seglet-into="#hero"><h1>Still looking?</h1><p data-seglet-show="mobile">app</p></template>',
    ].join('\n')));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=high-intent' } });
    expect(res.text).toBe([
      '<div id="hero" data-seglet-applied="high-intent"><template data-seglet-original><h1>Welcome</h1></template><h1>Still looking?</h1><p data-seglet-show="mobile" hidden="" data-seglet-applied="">app</p></div>',
      '<template data-seglet-when="returning" data-seglet-into="#hero"><h1>Welcome back</h1></template>',
      '<template data-seglet-when="high-intent, returning" data-seglet-into="#hero"><h1>Still looking?</h1><p data-seglet-show="mobile" hidden="" data-seglet-applied="">app</p></template>',
    ].join('\n'));
    const both = await edge.get(url, { headers: { cookie: 'seglet_m=returning,high-intent' } });
    expect(both.text).toContain('<div id="hero" data-seglet-applied="returning"><template data-seglet-original><h1>Welcome</h1></template><h1>Welcome back</h1></div>');
    const none = await edge.get(url);
    expect(none.text).toContain('<div id="hero"><h1>Welcome</h1></div>');
    expect(none.text).not.toContain('data-seglet-original');
  });

  it('fills a target that comes after its template, and several targets independently', async () => {
    const url = edge.serve('/after', html([
      '<template data-seglet-when="returning" data-seglet-into="#late">new late</template>',
      '<section><span id="late">old <b>late</b></span></section>',
      '<div class="promo">old promo</div>',
      '<template data-seglet-when="returning" data-seglet-into="div.promo">new promo</template>',
    ].join('')));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toContain('<span id="late" data-seglet-applied="returning"><template data-seglet-original>old <b>late</b></template>new late</span>');
    expect(res.text).toContain('<div class="promo" data-seglet-applied="returning"><template data-seglet-original>old promo</template>new promo</div>');
  });

  it('fills only the first element a selector matches, and an element once when two selectors name it', async () => {
    const url = edge.serve('/twice', html([
      '<div id="x" class="t">one</div><div class="t">two</div>',
      '<template data-seglet-when="returning" data-seglet-into=".t">A</template>',
      '<template data-seglet-when="returning" data-seglet-into="#x">B</template>',
    ].join('')));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text.startsWith('<div id="x" class="t" data-seglet-applied="returning"><template data-seglet-original>one</template>A</div><div class="t">two</div>')).toBe(true);
  });

  it('looks for targets as querySelector does (not inside template content) and keeps other marks right', async () => {
    const url = edge.serve('/marks', html([
      '<template id="other"><div id="t">inside a template</div></template>',
      '<div id="t" data-seglet-show="returning" hidden>real</div>',
      '<div\tid="u"\tdata-seglet-applied=old>kept</div>',
      '<template data-seglet-when="returning" data-seglet-into="#t">new</template>',
      '<template data-seglet-when="high-intent" data-seglet-into="#u">never</template>',
    ].join('')));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe([
      '<template id="other"><div id="t">inside a template</div></template>',
      '<div id="t" data-seglet-show="returning" data-seglet-applied="returning"><template data-seglet-original>real</template>new</div>',
      // A candidate target's start tag is re-serialized by HTMLRewriter; its attributes are as they were.
      '<div id="u" data-seglet-applied="old">kept</div>',
      '<template data-seglet-when="returning" data-seglet-into="#t">new</template>',
      '<template data-seglet-when="high-intent" data-seglet-into="#u">never</template>',
    ].join(''));
  });

  it('reports unsupported selectors, missing targets, templates without data-seglet-into and unknown ids once', async () => {
    await edge.reported();
    const url = edge.serve('/bad-selectors', html([
      '<div id="a">a</div><p>b</p>',
      '<template data-seglet-when="returning" data-seglet-into="p:hover">x</template>',
      '<template data-seglet-when="returning" data-seglet-into="#nowhere">x</template>',
      '<template data-seglet-when="returning">x</template>',
      '<template data-seglet-when="returning" data-seglet-into="#a">filled</template>',
      '<i data-seglet-show="ghost">?</i>',
    ].join('')));
    for (let i = 0; i < 2; i++) {
      const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<div id="a" data-seglet-applied="returning"><template data-seglet-original>a</template>filled</div><p>b</p>');
    }
    const codes = (await edge.reported()).reported.map((r) => r.code).sort();
    expect(codes).toEqual(['swap_invalid_selector', 'swap_target_missing', 'swap_target_missing', 'unknown_segment']);
  });

  it('reports a template whose target is nowhere in the page, with no target to look for (templates alone reach the handlers)', async () => {
    await edge.reported();
    // Not inside another template: the browser never sees one there, so neither fills nor reports (templatesNested.test.ts).
    const page = '<template data-seglet-when="returning" data-seglet-into="#elsewhere">inner</template><p data-seglet-show="returning" hidden>x</p>';
    const url = edge.serve('/no-targets', html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page.replace('data-seglet-show="returning" hidden>', 'data-seglet-show="returning" data-seglet-applied="">'));
    const codes = (await edge.reported()).reported.map((r) => r.code);
    expect(codes).toEqual(['swap_target_missing']);
  });

  it('survives broken HTML: unclosed target, unclosed template, stray end tags, void target', async () => {
    await edge.reported();
    const page = '<div><p data-seglet-show="returning" hidden>x</span></div></div><img id="pic"><template data-seglet-when="returning" data-seglet-into="#pic">no</template><template data-seglet-when="returning" data-seglet-into="#open">late</template><div id="open">never closed <b>bold';
    const url = edge.serve('/broken', html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe(page.replace('data-seglet-show="returning" hidden>', 'data-seglet-show="returning" data-seglet-applied="">'));
    const unclosedTemplate = edge.serve('/broken2', html('<div id="t">old</div><template data-seglet-when="returning" data-seglet-into="#t"><p>never'));
    const res2 = await edge.get(unclosedTemplate, { headers: { cookie: 'seglet_m=returning' } });
    expect(res2.text).toBe('<div id="t">old</div><template data-seglet-when="returning" data-seglet-into="#t"><p>never');
    const codes = (await edge.reported()).reported.map((r) => r.code);
    expect(codes).toEqual(['swap_failed', 'swap_failed']);
  });

  it('finds every swap and target when selectors narrowed from the text would miss them (the pass runs again)', async () => {
    // Tag-like text inside attribute values and comments: narrowed to the wrong tag names, the
    // first pass sees fewer elements than the text holds (planSelectors.node.test.ts).
    const swaps = edge.serve('/second-pass-swaps', html([
      `<div title='z <p a="x' data-b=" b="y" data-seglet-show="returning" hidden>shown</div>`,
      '<!-- <p data-seglet-hide="returning">commented out</p> -->',
    ].join('')));
    const res = await edge.get(swaps, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe([
      // HTMLRewriter re-serializes a changed start tag: the stray `y"` attribute gets its own space.
      `<div title='z <p a="x' data-b=" b=" y" data-seglet-show="returning" data-seglet-applied="">shown</div>`,
      '<!-- <p data-seglet-hide="returning">commented out</p> -->',
    ].join(''));
    const target = edge.serve('/second-pass-target', html([
      `<section data-x='<div id="hero"' id="hero">old</section>`,
      '<template data-seglet-when="returning" data-seglet-into="#hero">new</template>',
    ].join('')));
    const res2 = await edge.get(target, { headers: { cookie: 'seglet_m=returning' } });
    expect(res2.text).toBe([
      `<section data-x='<div id="hero"' id="hero" data-seglet-applied="returning"><template data-seglet-original>old</template>new</section>`,
      '<template data-seglet-when="returning" data-seglet-into="#hero">new</template>',
    ].join(''));
  });

  it('fills an #id target narrowed to its tags, whichever of them comes first, but not one inside a template', async () => {
    const url = edge.serve('/narrowed', html([
      '<template><span id="h">in a template</span></template>',
      '<ARTICLE ID=h>first</ARTICLE><div id="h">second</div>',
      '<template data-seglet-when="returning" data-seglet-into="#h">new</template>',
      '<template data-seglet-when="returning" data-seglet-into="#absent">never</template>',
    ].join('')));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toContain('<template><span id="h">in a template</span></template><ARTICLE ID=h data-seglet-applied="returning"><template data-seglet-original>first</template>new</ARTICLE><div id="h">second</div>');
  });

  it('fills a target closed by an ancestor\'s end tag, and not one whose end the parser never sees or the browser sees first', async () => {
    const into = (id: string): string => `<template data-seglet-when="returning" data-seglet-into="#${id}">new</template>`;
    const url = edge.serve('/implied-ends', html(`<div><span id="a">old</div><ul><li id="b">one<li>two</ul><p id="c">old<div>x</div>${into('a')}${into('b')}${into('c')}`));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe([
      '<div><span id="a" data-seglet-applied="returning"><template data-seglet-original>old</template>new</div>',
      // The browser ends this item at the next <li> (its children are "one" only): left to it.
      '<ul><li id="b">one<li>two</ul>',
      // HTMLRewriter does not close a <p> at a <div>: this target is never closed.
      `<p id="c">old<div>x</div>${into('a')}${into('b')}${into('c')}`,
    ].join(''));
  });

  it('keeps a target\'s own data-seglet-applied on a page whose only seglet attributes are of other kinds', async () => {
    // A page saved from a browser that ran seglet: the candidate target keeps what it said.
    const page = '<div id="x" data-seglet-applied="keep">a</div><template data-seglet-into="#x">n</template><b data-seglet-click="buy">c</b>';
    const url = edge.serve('/prior-applied', html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page);
    expect(res.headers.get('cache-control')).toBe('private');
  });

  it('rewrites text only: template content is never executed and stays as written', async () => {
    const url = edge.serve('/script', html('<div id="t">old</div><template data-seglet-when="returning" data-seglet-into="#t"><script>globalThis.pwned = 1</script><img src=x onerror="alert(1)"></template>'));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toContain('<div id="t" data-seglet-applied="returning"><template data-seglet-original>old</template><script>globalThis.pwned = 1</script><img src=x onerror="alert(1)"></div>');
  });

  it('personalises any status (a 404 page too)', async () => {
    const url = edge.serve('/missing', html('<p data-seglet-show="returning" hidden>welcome back</p>', {}, 404));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.status).toBe(404);
    expect(res.text).toBe('<p data-seglet-show="returning" data-seglet-applied="">welcome back</p>');
    expect(res.headers.get('cache-control')).toBe('private');
  });
});

describe('headers of a page with data-seglet- attributes', () => {
  it('adds private (dropping public and s-maxage), Vary: Cookie, marks a strong ETag as the edge\'s weak one, drops Content-Length', async () => {
    const url = edge.serve('/headers', html('<p data-seglet-show="returning">x</p>', {
      'cache-control': 'public, max-age=60, s-maxage=300, stale-while-revalidate=30',
      etag: '"v1"', vary: 'Accept-Encoding', 'x-origin': 'kept',
    }));
    const res = await edge.get(url);
    expect(res.headers.get('cache-control')).toBe('private, max-age=60, stale-while-revalidate=30');
    expect(res.headers.get('etag')).toMatch(/^W\/"v1~seglet-s[0-9a-f]{16}"$/);
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('x-origin')).toBe('kept');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('keeps no-store and no-cache, marks a weak ETag; does not repeat Cookie in Vary; marks even an unchanged page', async () => {
    const url = edge.serve('/headers2', html('<p data-seglet-click="buy">x</p>', {
      'cache-control': 'no-store, no-cache="set-cookie, x", private="set-cookie"', etag: 'W/"w"', vary: 'cookie',
    }));
    const res = await edge.get(url);
    expect(res.text).toBe('<p data-seglet-click="buy">x</p>');
    expect(res.headers.get('cache-control')).toBe('private, no-store, no-cache="set-cookie, x"');
    expect(res.headers.get('etag')).toMatch(/^W\/"w~seglet-w[0-9a-f]{16}"$/);
    expect(res.headers.get('vary')).toBe('cookie');
  });

  it('sets Cache-Control: private and Vary: Cookie when the origin sent none', async () => {
    const url = edge.serve('/headers3', html('<p data-seglet-hide="returning">x</p>'));
    const res = await edge.get(url);
    expect(res.headers.get('cache-control')).toBe('private');
    expect(res.headers.get('vary')).toBe('Cookie');
  });

  it('removes CDN-Cache-Control, Cloudflare-CDN-Cache-Control, Surrogate-Control and Edge-Control: none may leave a personalised page shareable', async () => {
    const url = edge.serve('/headers-cdn', html('<p data-seglet-show="returning" hidden>x</p>', {
      'cache-control': 'public, max-age=60', 'cdn-cache-control': 'public, max-age=600',
      'cloudflare-cdn-cache-control': 'max-age=600', 'surrogate-control': 'max-age=600',
      'edge-control': '!no-store, max-age=600',
    }));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(res.headers.get('cdn-cache-control')).toBeNull();
    expect(res.headers.get('cloudflare-cdn-cache-control')).toBeNull();
    expect(res.headers.get('surrogate-control')).toBeNull();
    expect(res.headers.get('edge-control')).toBeNull();
  });

  it('keeps every Set-Cookie header of the origin', async () => {
    edge.serve('/headers-cookies', html('<p data-seglet-show="returning" hidden>x</p>', { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] as unknown as string }));
    const res = await edge.http('/headers-cookies', { cookie: 'seglet_m=returning' });
    expect(res.text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });
});
