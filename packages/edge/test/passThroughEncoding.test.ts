// Bodies the edge cannot read as UTF-8 HTML text pass through byte for byte, whatever their markup:
// a pre-compressed body handed over as is (encodeBody: 'manual'), a page whose <meta> names
// another charset.
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startWorker } from './harness/startWorker.js';
import { startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
let precompressed: Miniflare;
let address: URL;
beforeAll(async () => {
  [edge, precompressed] = await Promise.all([startEdge(), startWorker(inject('edgeBundles').precompressed)]);
  address = await precompressed.ready;
});
afterAll(() => Promise.all([edge?.close(), precompressed?.dispose()]));

/** A raw HTTP GET (no automatic decompression, unlike fetch). */
function rawGet(headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(address, { headers: { 'accept-encoding': 'gzip', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end();
  });
}

describe('pre-compressed bodies (encodeBody: manual) pass through byte for byte', () => {
  it('an HTML page without swap attributes', async () => {
    const page = `<!doctype html><p>${'plain '.repeat(50)}</p>`;
    const res = await rawGet({ 'x-test-page': page });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    // One gunzip must give the page back: the origin's bytes were already gzip.
    expect(gunzipSync(res.bytes).toString('utf8')).toBe(page);
  });

  it('an HTML page with swap attributes: its bytes are still gzip, so it is not rewritten (never corrupt)', async () => {
    const page = `<!doctype html><p data-seglet-show="returning" hidden>${'welcome back '.repeat(20)}</p>`;
    const res = await rawGet({ 'x-test-page': page, cookie: 'seglet_m=returning' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.etag).toBe('"z"');
    expect(res.headers['cache-control']).toBeUndefined();
    expect(gunzipSync(res.bytes).toString('utf8')).toBe(page);
  });

  it('a non-HTML body (control)', async () => {
    const page = `{"plain":"${'x'.repeat(200)}"}`;
    const res = await rawGet({ 'x-test-page': page, 'x-test-type': 'application/json' });
    expect(gunzipSync(res.bytes).toString('utf8')).toBe(page);
  });
});

describe('a page whose <meta> names a charset (no charset in Content-Type), as browsers prescan it', () => {
  const body = (head: string): Buffer => Buffer.concat([
    Buffer.from(`<!doctype html><html><head>${head}</head><body><p data-seglet-show="returning" hidden>Caf`),
    Buffer.from([0xe9]),
    Buffer.from(' cr'), Buffer.from([0xe8]), Buffer.from('me</p></body></html>'),
  ]);

  it('windows-1252 by <meta charset>: passes through with its non-ASCII bytes, reported once', async () => {
    await edge.reported();
    const page = body('<meta charset="windows-1252">');
    const url = edge.serve('/cp1252', { body: page, headers: { 'content-type': 'text/html', etag: '"c"' } });
    for (let i = 0; i < 2; i++) {
      const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
      expect(res.bytes.equals(page)).toBe(true);
      expect(res.headers.get('etag')).toBe('"c"');
      expect(res.headers.get('cache-control')).toBeNull();
    }
    expect((await edge.reported()).reported).toMatchObject([{ code: 'swap_failed', message: expect.stringContaining('"windows-1252"') as string }]);
  });

  it('windows-1252 by <meta http-equiv="Content-Type">, its ASCII-only page valid UTF-8 too: passed through all the same', async () => {
    const page = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p data-seglet-show="returning" hidden>x</p>';
    const url = edge.serve('/cp1252-pragma', { body: page, headers: { 'content-type': 'text/html' } });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page);
  });

  it('UTF-8 by <meta charset>, or a Content-Type charset that outranks the <meta>: personalised', async () => {
    const page = '<meta charset="utf-8"><p data-seglet-show="returning" hidden>é</p>';
    const url = edge.serve('/meta-utf8', { body: page, headers: { 'content-type': 'text/html' } });
    expect((await edge.get(url, { headers: { cookie: 'seglet_m=returning' } })).text).toBe('<meta charset="utf-8"><p data-seglet-show="returning" data-seglet-applied="">é</p>');
    const stated = '<meta charset="windows-1252"><p data-seglet-show="returning" hidden>x</p>';
    const url2 = edge.serve('/meta-outranked', { body: stated, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect((await edge.get(url2, { headers: { cookie: 'seglet_m=returning' } })).text).toBe('<meta charset="windows-1252"><p data-seglet-show="returning" data-seglet-applied="">x</p>');
  });
});
