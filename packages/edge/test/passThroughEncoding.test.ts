// Bodies the edge cannot read as UTF-8 HTML text pass through byte for byte, whatever their markup:
// a pre-compressed body handed over as is (encodeBody: 'manual').
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startWorker } from './harness/startWorker.js';

let precompressed: Miniflare;
let address: URL;
beforeAll(async () => {
  precompressed = await startWorker(inject('edgeBundles').precompressed);
  address = await precompressed.ready;
});
afterAll(() => precompressed?.dispose());

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
