// A browser revalidating a personalised page it cached must get the page personalised for its
// current cookie, never a 304 that keeps the copy made for older memberships.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingHttpHeaders } from 'node:http';
import { html, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const PAGE = '<p data-seglet-show="returning" hidden>welcome back</p>';
const FOR_RETURNING = '<p data-seglet-show="returning" data-seglet-applied="">welcome back</p>';
const LAST_MODIFIED = 'Tue, 05 May 2026 10:00:00 GMT';
/** An origin that answers 304 to any validator it is sent, as a loose comparison would. */
const anyValidator = (h: IncomingHttpHeaders): boolean => h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined;
const lastReceived = (): IncomingHttpHeaders => edge.origin.received.at(-1)?.headers ?? {};

describe('the validators of a personalised page', () => {
  it('a strong or weak ETag becomes the edge\'s weak W/"…~seglet"; Last-Modified, digests and Accept-Ranges go', async () => {
    const origin = {
      'cache-control': 'public, max-age=600', 'last-modified': LAST_MODIFIED, 'accept-ranges': 'bytes',
      'content-digest': 'sha-256=:AAAA:', 'repr-digest': 'sha-256=:BBBB:', digest: 'SHA-256=CCCC', 'content-md5': 'Q2hlY2sgSW50ZWdyaXR5IQ==',
      'x-origin': 'kept',
    };
    const strong = await edge.get(edge.serve('/v-strong', html(PAGE, { ...origin, etag: '"e"' })), { headers: { cookie: 'seglet_m=returning' } });
    expect(strong.text).toBe(FOR_RETURNING);
    expect(strong.headers.get('etag')).toBe('W/"e~seglet"');
    for (const name of ['last-modified', 'accept-ranges', 'content-digest', 'repr-digest', 'digest', 'content-md5']) expect(strong.headers.get(name), name).toBeNull();
    expect(strong.headers.get('x-origin')).toBe('kept');
    const weak = await edge.get(edge.serve('/v-weak', html(PAGE, { etag: 'W/"e"' })));
    expect(weak.headers.get('etag')).toBe('W/"e~seglet"');
  });

  it('an ETag already marked is not marked twice; one that is not an entity-tag is dropped, as it could not be marked', async () => {
    const marked = await edge.get(edge.serve('/v-marked', html(PAGE, { etag: '"e~seglet"' })));
    expect(marked.headers.get('etag')).toBe('W/"e~seglet"');
    for (const [i, etag] of ['e', '"a", "b"', 'w/"lower"'].entries()) {
      const res = await edge.get(edge.serve(`/v-malformed-${i}`, html(PAGE, { etag })));
      expect(res.headers.get('etag'), etag).toBeNull();
    }
  });
});

describe('revalidating a personalised copy', () => {
  it('goes to the origin without If-None-Match and If-Modified-Since, and comes back personalised for the current cookie', async () => {
    const url = edge.serve('/reval', { ...html(PAGE, { etag: '"e"', 'last-modified': LAST_MODIFIED, 'cache-control': 'public, max-age=600' }), notModified: anyValidator });
    const first = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(first.text).toBe(FOR_RETURNING);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toBe('W/"e~seglet"');
    // The visitor left the segment: the browser's copy no longer matches Vary: Cookie.
    const again = await edge.get(url, { headers: { cookie: 'seglet_m=', 'if-none-match': etag, 'if-modified-since': LAST_MODIFIED } });
    expect(lastReceived()['if-none-match']).toBeUndefined();
    expect(lastReceived()['if-modified-since']).toBeUndefined();
    expect(lastReceived().cookie).toBe('seglet_m=');
    expect(again.status).toBe(200);
    expect(again.text).toBe(PAGE);
    expect(again.headers.get('cache-control')).toBe('private, max-age=600');
    expect(again.headers.get('etag')).toBe('W/"e~seglet"');
  });

  it('a marked tag anywhere in the list counts; an origin function gets a body-less GET with the same redirect mode', async () => {
    const url = edge.serve('/reval-list', { ...html(PAGE, { etag: '"e"' }), notModified: anyValidator });
    await edge.reported();
    const res = await edge.get(url, { redirect: 'manual', headers: { cookie: 'seglet_m=returning', 'if-none-match': '"other", W/"e~seglet"', 'x-test-origin': 'recording' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe(FOR_RETURNING);
    expect(lastReceived()['if-none-match']).toBeUndefined();
    const { forwarded, originCalls } = await edge.reported();
    expect(originCalls).toEqual([{ thisValue: 'undefined', sameRequest: false }]);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).toMatchObject({ method: 'GET', hasBody: false, ifNoneMatch: null, cookie: 'seglet_m=returning' });
    expect(forwarded[0]?.redirect).toBe(forwarded[0]?.incomingRedirect);
  });

  it('a Range made conditional on a marked tag (If-Range) asks the origin for the whole page, personalised', async () => {
    const url = edge.serve('/reval-range', { ...html(PAGE, { etag: '"e"' }), notModified: anyValidator });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', range: 'bytes=0-9', 'if-range': 'W/"e~seglet"' } });
    expect(lastReceived().range).toBeUndefined();
    expect(lastReceived()['if-range']).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.text).toBe(FOR_RETURNING);
  });
});

describe('revalidating anything else', () => {
  it('an asset or an unpersonalised page: the origin gets If-None-Match as sent and its 304 passes through', async () => {
    const asset = edge.serve('/app.css', { status: 200, body: 'p{}', headers: { 'content-type': 'text/css', etag: '"e"', 'cache-control': 'public, max-age=600' }, notModified: anyValidator });
    const plain = edge.serve('/plain-page', { ...html('<p>same for all</p>', { etag: '"e"', 'cache-control': 'public, max-age=600' }), notModified: anyValidator });
    for (const url of [asset, plain]) {
      await edge.reported();
      const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', 'if-none-match': '"e"', 'x-test-origin': 'recording' } });
      expect(lastReceived()['if-none-match']).toBe('"e"');
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe('"e"');
      expect(res.headers.get('cache-control')).toBe('public, max-age=600');
      expect((await edge.reported()).originCalls).toEqual([{ thisValue: 'undefined', sameRequest: true }]);
    }
  });

  it('a marked tag on another method is forwarded as it came (only GET is personalised)', async () => {
    const url = edge.serve('/reval-head', { ...html(PAGE, { etag: '"e"' }), notModified: anyValidator });
    const res = await edge.get(url, { method: 'HEAD', headers: { 'if-none-match': 'W/"e~seglet"' } });
    expect(lastReceived()['if-none-match']).toBe('W/"e~seglet"');
    expect(res.status).toBe(304);
  });
});
