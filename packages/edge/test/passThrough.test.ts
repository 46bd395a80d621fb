import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, startEdge, type EdgeFixture } from './harness/edgeFixture.js';
import { SEGLET_PAGE, sha } from './harness/pageBytes.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

describe('responses that pass through byte for byte with their headers', () => {
  it('non-HTML bodies (binary, JSON, XHTML)', async () => {
    const binary = randomBytes(70_000);
    const url = edge.serve('/blob', { body: binary, headers: { 'content-type': 'application/octet-stream', etag: '"b"', 'cache-control': 'public, max-age=600' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(sha(res.bytes)).toBe(sha(binary));
    expect(res.headers.get('etag')).toBe('"b"');
    expect(res.headers.get('cache-control')).toBe('public, max-age=600');
    expect(res.headers.get('content-length')).toBe('70000');
    for (const type of ['application/json', 'application/xhtml+xml', 'text/plain']) {
      const u = edge.serve(`/t-${type.replace('/', '-')}`, { body: SEGLET_PAGE, headers: { 'content-type': type } });
      const r = await edge.get(u, { headers: { cookie: 'seglet_m=returning' } });
      expect(r.text).toBe(SEGLET_PAGE);
      expect(r.headers.get('cache-control')).toBeNull();
    }
  });

  it('HTML without any data-seglet- attribute: same bytes, strong ETag, Content-Length, cache headers', async () => {
    const page = '<!doctype html><html><head><title>Ünïcödé</title></head><body><p class="data-seglet-x">data-seglet- in text is not an attribute</p>\u{1F600}</body></html>';
    edge.serve('/plain', html(page, { etag: '"p1"', 'cache-control': 'public, s-maxage=60', 'set-cookie': 'a=1' }));
    const res = await edge.http('/plain', { cookie: 'seglet_m=returning' });
    expect(res.text).toBe(page);
    expect(res.headers).toMatchObject({
      etag: '"p1"', 'cache-control': 'public, s-maxage=60', 'content-length': String(Buffer.byteLength(page)), 'set-cookie': ['a=1'],
    });
    expect(res.headers.vary).toBeUndefined();
  });

  it('requests other than GET (POST reaches the origin unchanged; HEAD)', async () => {
    const url = edge.serve('/form', html(SEGLET_PAGE, { etag: '"f"' }));
    edge.origin.received.length = 0;
    const res = await edge.get(url, { method: 'POST', body: 'a=1&b=2', headers: { cookie: 'seglet_m=returning', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.text).toBe(SEGLET_PAGE);
    expect(res.headers.get('etag')).toBe('"f"');
    expect(res.headers.get('cache-control')).toBeNull();
    const got = edge.origin.received.at(-1);
    expect(got).toMatchObject({ method: 'POST', url: '/form' });
    expect(got?.body.toString()).toBe('a=1&b=2');
    expect(got?.headers.cookie).toBe('seglet_m=returning');
    const head = await edge.get(url, { method: 'HEAD', headers: { cookie: 'seglet_m=returning' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe('"f"');
  });

  it('HTML bodies over 5 MB (declared and chunked) pass through unpersonalised, byte for byte', async () => {
    const big = Buffer.concat([Buffer.from(SEGLET_PAGE), Buffer.alloc(5_000_001, 0x61)]);
    const declared = edge.serve('/big', html('', { etag: '"big"' }));
    edge.origin.routes.set('/big', { body: big, headers: { 'content-type': 'text/html', etag: '"big"' } });
    const res = await edge.get(declared, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.bytes.length).toBe(big.length);
    expect(sha(res.bytes)).toBe(sha(big));
    expect(res.headers.get('etag')).toBe('"big"');
    expect(res.headers.get('cache-control')).toBeNull();
    const chunked = edge.serve('/big-chunked', { body: big, chunked: true, headers: { 'content-type': 'text/html', etag: '"c"' } });
    const res2 = await edge.get(chunked, { headers: { cookie: 'seglet_m=returning' } });
    expect(sha(res2.bytes)).toBe(sha(big));
    expect(res2.headers.get('etag')).toBe('"c"');
    expect(res2.headers.get('cache-control')).toBeNull();
    // Just under the limit is still personalised.
    const fits = Buffer.concat([Buffer.from(SEGLET_PAGE), Buffer.alloc(5_000_000 - SEGLET_PAGE.length, 0x61)]);
    const under = edge.serve('/fits', { body: fits, headers: { 'content-type': 'text/html' } });
    const res3 = await edge.get(under, { headers: { cookie: 'seglet_m=returning' } });
    expect(res3.text.startsWith('<p data-seglet-show="returning" data-seglet-applied="">x</p>aaa')).toBe(true);
    // A small page of unknown length (chunked) is read chunk by chunk and personalised.
    const small = edge.serve('/small-chunked', { body: SEGLET_PAGE.repeat(3), chunked: true, headers: { 'content-type': 'text/html' } });
    expect((await edge.get(small, { headers: { cookie: 'seglet_m=returning' } })).text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>'.repeat(3));
  });

  it('a chunked page larger than one read buffer is read whole and personalised', async () => {
    const page = Buffer.from(SEGLET_PAGE.repeat(5_000));
    const url = edge.serve('/wide-chunked', { body: page, chunked: true, headers: { 'content-type': 'text/html' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>'.repeat(5_000));
  });

  it('a body the worker streams itself (not a byte stream) is read chunk by chunk: personalised, or over 5 MB passed through whole', async () => {
    const piece = '<p data-seglet-show="returning" hidden>x</p>';
    const small = await edge.get('http://edge.test/streamed', { headers: { cookie: 'seglet_m=returning', 'x-test-origin': 'stream', 'x-test-repeat': '100' } });
    expect(small.text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>'.repeat(100));
    const count = Math.ceil(5_000_001 / piece.length);
    const big = await edge.get('http://edge.test/streamed-big', { headers: { cookie: 'seglet_m=returning', 'x-test-origin': 'stream', 'x-test-repeat': String(count) } });
    expect(big.bytes.length).toBe(piece.length * count);
    expect(sha(big.bytes)).toBe(sha(Buffer.from(piece.repeat(count))));
    expect(big.headers.get('cache-control')).toBeNull();
  });

  it('HTML in another charset passes through (reported once)', async () => {
    await edge.reported();
    const url = edge.serve('/latin1', { body: Buffer.from(`${SEGLET_PAGE}\xe9`, 'latin1'), headers: { 'content-type': 'text/html; charset=ISO-8859-1' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.bytes).toEqual(Buffer.from(`${SEGLET_PAGE}\xe9`, 'latin1'));
    expect((await edge.reported()).reported.map((r) => r.code)).toEqual(['swap_failed']);
  });

  it('a 206 partial HTML response (Range request): its Content-Range describes the origin bytes', async () => {
    const whole = '<p data-seglet-show="returning" hidden>welcome back</p><p>rest</p>';
    const part = whole.slice(0, 40);
    const url = edge.serve('/range', { status: 206, body: part, headers: { 'content-type': 'text/html; charset=utf-8', 'content-range': `bytes 0-39/${whole.length}`, 'accept-ranges': 'bytes' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', range: 'bytes=0-39' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-39/${whole.length}`);
    expect(res.headers.get('cache-control')).toBeNull();
    expect(res.text).toBe(part);
  });

  it('a 304 answer (no body) with its headers', async () => {
    const url = edge.serve('/not-modified', { status: 304, headers: { 'content-type': 'text/html', etag: '"e"' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', 'if-none-match': '"e"' } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe('"e"');
    expect(res.headers.get('vary')).toBeNull();
  });

  it('a data-seglet- attribute that only appears inside a <script> string: the page passes through with its headers', async () => {
    const page = '<script>const tpl = \'<p data-seglet-show="returning">\';</script><p>x</p>';
    const url = edge.serve('/script-only', html(page, { 'cache-control': 'public, max-age=60', etag: '"s"' }));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('etag')).toBe('"s"');
  });

  it('an invalid rule set: every response passes through untouched, reported once, never a throw', async () => {
    await edge.reported();
    const url = edge.serve('/invalid-rules', html(SEGLET_PAGE, { etag: '"i"' }));
    for (let i = 0; i < 3; i++) {
      const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', 'x-test-rules': 'invalid' } });
      expect(res.status).toBe(200);
      expect(res.text).toBe(SEGLET_PAGE);
      expect(res.headers.get('etag')).toBe('"i"');
      expect(res.headers.get('cache-control')).toBeNull();
    }
    const d = await edge.get(url, { headers: { 'x-test-rules': 'invalid', 'x-test-decide': '1' } });
    expect(JSON.parse(d.text)).toMatchObject({ valid: false, members: [] });
    const { reported } = await edge.reported();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ code: 'invalid_rules', path: '/segments/Bad Id' });
  });
});

describe('the origin', () => {
  it('default: the global fetch, to a real loopback server, with the unchanged request', async () => {
    const url = edge.serve('/echo', html(SEGLET_PAGE));
    edge.origin.received.length = 0;
    await edge.get(`${url}?q=1`, { headers: { cookie: 'seglet_m=returning; other=1', 'x-custom': 'yes' } });
    const got = edge.origin.received.at(-1);
    expect(got).toMatchObject({ method: 'GET', url: '/echo?q=1' });
    expect(got?.headers).toMatchObject({ cookie: 'seglet_m=returning; other=1', 'x-custom': 'yes' });
  });

  it('an origin function is called with the very request and no this', async () => {
    const url = edge.serve('/fn', html(SEGLET_PAGE));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', 'x-test-origin': 'recording' } });
    expect(res.text).toBe('<p data-seglet-show="returning" data-seglet-applied="">x</p>');
    expect((await edge.reported()).originCalls).toEqual([{ thisValue: 'undefined', sameRequest: true }]);
  });

  it('an origin that throws, rejects, returns no response or cannot be reached: 502, generic body, one report each', async () => {
    await edge.reported();
    for (const mode of ['throw', 'reject', 'not-a-response']) {
      const res = await edge.get('https://shop.test/x', { headers: { 'x-test-origin': mode } });
      expect(res.status).toBe(502);
      expect(res.text).toBe('Bad Gateway');
    }
    const closed = await edge.get('http://127.0.0.1:1/unreachable');
    expect(closed.status).toBe(502);
    expect(closed.text).toBe('Bad Gateway');
    const { reported } = await edge.reported();
    expect(reported.map((r) => r.code)).toEqual(['origin_failed', 'origin_failed', 'origin_failed', 'origin_failed']);
    expect(reported[0]?.message).toContain('origin exploded');
  });

  it('origin statuses pass through (redirects, errors)', async () => {
    const url = edge.serve('/moved', { status: 301, headers: { location: '/new', 'content-type': 'text/plain' }, body: 'moved' });
    const res = await edge.get(url, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/new');
    const err = edge.serve('/err', { status: 503, headers: { 'content-type': 'text/html' }, body: '<p>down</p>' });
    expect((await edge.get(err)).status).toBe(503);
  });
});
