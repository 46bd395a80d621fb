// Spec audit (runtime.md sections 6 and 7 "Edge"): statements the other test files do not pin
// down, in workerd (miniflare) in front of a loopback origin, and decide() in Node.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../src/index.js';
import { html, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const into = (selector: string, content = 'new'): string => `<template data-seglet-when="returning" data-seglet-into="${selector}">${content}</template>`;

describe('data-seglet-into: an #id selector is guaranteed', () => {
  it.each([
    ['an id with an escaped dot', 'a.b', '#a\\.b'],
    ['an id starting with a digit', '123', '#\\31 23'],
    ['a non-ASCII id', 'héros', '#héros'],
    ['an id with an underscore and a hyphen', '_x-1', '#_x-1'],
  ])('%s', async (_name, id, selector) => {
    await edge.reported();
    const url = edge.serve(`/id-${encodeURIComponent(id)}`, html(`<div id="${id}">old</div>${into(selector)}`));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(`<div id="${id}" data-seglet-applied="returning"><template data-seglet-original>old</template>new</div>${into(selector)}`);
    expect((await edge.reported()).reported).toEqual([]);
  });
});

describe('what is rewritten', () => {
  it('a gzip-encoded HTML page is personalised and still decodes', async () => {
    const page = '<p data-seglet-show="returning" hidden>welcome back</p>';
    const url = edge.serve('/gz', { body: gzipSync(page), headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe('<p data-seglet-show="returning" data-seglet-applied="">welcome back</p>');
    expect(res.headers.get('cache-control')).toBe('private');
  });

  it('a gzip-encoded HTML page without swap attributes passes through with its headers and content', async () => {
    const page = `<!doctype html><p>${'plain '.repeat(200)}</p>`;
    edge.serve('/gz-plain', { body: gzipSync(page), headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', etag: '"g"' } });
    const res = await edge.http('/gz-plain', { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"g"');
    // workerd re-encodes a body it decoded, so the framing is its own (chunked): the content is the origin's.
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.bytes).toString('utf8')).toBe(page);
  });

  it('Cache-Control: public and s-maxage go, must-revalidate and max-age stay; a strong ETag becomes the edge\'s weak one', async () => {
    const url = edge.serve('/cc', html('<p data-seglet-hide="returning">x</p>', { 'cache-control': 'S-MAXAGE=600, Public, must-revalidate, max-age=0', etag: '"abc"' }));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.headers.get('cache-control')).toBe('private, must-revalidate, max-age=0');
    expect(res.headers.get('etag')).toMatch(/^W\/"abc~seglet-s[0-9a-f]{16}"$/);
  });

  it('an HTML answer to HEAD passes through with its headers', async () => {
    const url = edge.serve('/head', html('<p data-seglet-show="returning" hidden>x</p>', { 'cache-control': 'public, max-age=60', etag: '"h"' }));
    const res = await edge.get(url, { method: 'HEAD', headers: { cookie: 'seglet_m=returning' } });
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('vary')).toBeNull();
  });
});

describe('context at the edge', () => {
  it('an invalid request.cf.timezone falls back to UTC, reported', async () => {
    await edge.reported();
    const res = await edge.get('https://shop.test/', { headers: { 'x-test-decide': '1', 'x-test-now': String(Date.UTC(2026, 0, 5, 10, 30)) }, cf: { timezone: 'Not/AZone', country: 'FR' } });
    const d = JSON.parse(res.text) as { timeZone: string; members: string[]; context: { country: string } };
    expect(d.timeZone).toBe('UTC');
    expect(d.context.country).toBe('FR');
    expect(d.members).toContain('morning');
    expect((await edge.reported()).reported).toMatchObject([{ code: 'invalid_option', path: '/request/cf/timezone' }]);
  });
});

describe('decide() in Node', () => {
  const rules = {
    version: 1,
    segments: {
      phone: { when: { context: 'device', eq: 'mobile' } },
      tablet: { when: { context: 'device', eq: 'tablet' } },
      always: { when: { all: [] } },
      scored: { when: { score: { terms: [{ weight: 1, value: { context: 'hour' } }], link: 'linear' }, gte: 0 } },
      traited: { when: { trait: 'plan', eq: 'pro' } },
      bucketed: { when: { bucket: 'ab', gte: 0 } },
      'not-traited': { when: { not: { segment: 'traited' } } },
    },
  };
  const deviceOf = (ua: string, mobileHint?: string): string => {
    const headers: Record<string, string> = { 'user-agent': ua };
    if (mobileHint !== undefined) headers['sec-ch-ua-mobile'] = mobileHint;
    return String(decide(new Request('https://shop.test/', { headers }), { rules }).context.device);
  };

  it('device: Sec-CH-UA-Mobile ?1, then iPad/Tablet/Android without Mobile, then Mobi/iPhone/Android', () => {
    expect(deviceOf('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)', '?1')).toBe('mobile');
    expect(deviceOf('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Mobile/15E148')).toBe('tablet');
    expect(deviceOf('Mozilla/5.0 (Linux; Android 14; SM-X710) Tablet')).toBe('tablet');
    expect(deviceOf('Mozilla/5.0 (Linux; Android 14; SM-X710)')).toBe('tablet');
    expect(deviceOf('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari')).toBe('mobile');
    expect(deviceOf('Opera/9.80 (J2ME/MIDP; Opera Mini) Mobi')).toBe('mobile');
    expect(deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')).toBe('mobile');
    expect(deviceOf('Mozilla/5.0 (X11; Linux x86_64)', '?0')).toBe('desktop');
  });

  it('only segments whose every leaf is context (or such a reference) are edge-evaluated; the rest come from the cookie', () => {
    const d = decide(new Request('https://shop.test/', { headers: { cookie: 'seglet_m=scored,traited,bucketed,always' } }), { rules });
    expect(d.edgeEvaluated).toEqual(['phone', 'tablet', 'always']);
    expect(d.members).toEqual(['always', 'scored', 'traited', 'bucketed']);
    const none = decide(new Request('https://shop.test/'), { rules });
    expect(none.members).toEqual(['always']);
  });

  it('the referrer on the same host under another scheme counts as none; utm_* are percent-decoded, the first non-empty one wins', () => {
    const d = decide(new Request('https://shop.test/p?utm_source=a%2Fb&utm_source=c&utm_medium=%E2%82%AC', { headers: { referer: 'http://shop.test/earlier' } }), { rules });
    expect(d.context).toMatchObject({ referrer: null, utm_source: 'a/b', utm_medium: '€' });
  });
});
