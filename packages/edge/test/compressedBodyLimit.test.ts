// The 5 MB limit counts the page's decoded bytes. For a compressed answer from the origin,
// Content-Length counts the compressed ones, while the worker reads the body decoded: a few KB of
// gzip can be a page of any size, so the body is read only up to the limit.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type EdgeFixture } from './harness/edgeFixture.js';
import { SEGLET_PAGE, sha } from './harness/pageBytes.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

/** A swap page padded to `size` bytes: it compresses to about a thousandth of that. */
const page = (size: number): Buffer => Buffer.concat([Buffer.from(SEGLET_PAGE), Buffer.alloc(size - SEGLET_PAGE.length, 0x61)]);
const GZIP_HEADERS = { 'content-type': 'text/html', 'content-encoding': 'gzip', etag: '"g"', 'cache-control': 'public, max-age=60' };

describe('a gzip answer from the origin, by its decoded size', () => {
  it('6,000,000 bytes gzipped to a few KB (honest compressed Content-Length): passes through unpersonalised, as the origin sent it', async () => {
    const big = page(6_000_000);
    const gzipped = gzipSync(big);
    expect(gzipped.length).toBeLessThan(10_000);
    edge.serve('/gzip-big', { body: gzipped, headers: GZIP_HEADERS });
    // On the wire: still gzip, one gunzip gives the page back, the origin's headers.
    const wire = await edge.http('/gzip-big', { cookie: 'seglet_m=returning', 'accept-encoding': 'gzip' });
    expect(wire.headers).toMatchObject({ 'content-encoding': 'gzip', etag: '"g"', 'cache-control': 'public, max-age=60' });
    expect(wire.headers.vary).toBeUndefined();
    expect(sha(gunzipSync(wire.bytes))).toBe(sha(big));
    // Decoded by the client.
    const res = await edge.get(`${edge.origin.url}/gzip-big`, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.bytes.length).toBe(big.length);
    expect(sha(res.bytes)).toBe(sha(big));
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('a gzipped page under the limit is read decoded and personalised', async () => {
    const fits = page(4_000_000);
    const url = edge.serve('/gzip-fits', { body: gzipSync(fits), headers: GZIP_HEADERS });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text.startsWith('<p data-seglet-show="returning" data-seglet-applied="">x</p>aaa')).toBe(true);
    expect(res.bytes.length).toBe(fits.length + ' data-seglet-applied=""'.length - ' hidden'.length);
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
  });

  it('stops reading once past the limit: the answer starts before the origin has sent the rest of the body', async () => {
    const bomb = page(12_000_000);
    const gzipped = gzipSync(bomb);
    // The first three quarters of the gzip decode to about 9 MB, well past the limit.
    const split = Math.floor(gzipped.length * 0.75);
    let release = (): void => undefined;
    const after = new Promise<void>((resolve) => {
      release = resolve;
    });
    const url = edge.serve('/gzip-held', { body: gzipped.subarray(0, split), rest: { after, body: gzipped.subarray(split) }, headers: GZIP_HEADERS });
    try {
      const answered = edge.mf.dispatchFetch(url, { headers: { cookie: 'seglet_m=returning' } });
      const timedOut = new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 5_000));
      const res = await Promise.race([answered, timedOut]);
      if (res === 'waiting') throw new Error('seglet: the worker waited for the whole body before answering');
      release();
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(bomb.length);
      expect(sha(bytes)).toBe(sha(bomb));
      expect(res.headers.get('etag')).toBe('"g"');
    } finally {
      release();
    }
  });
});
