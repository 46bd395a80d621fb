// A browser revalidating a personalised page it cached must get the page personalised for its
// current cookie, never a 304 that keeps the copy made for older memberships; a copy made for the
// current memberships may get the origin's 304.
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
/** An origin that compares tags weakly (RFC 9110 If-None-Match), its page's tag being `"e"`. */
const sameTag = (h: IncomingHttpHeaders): boolean => (h['if-none-match'] ?? '').split(',').some((t) => t.trim().replace(/^W\//, '') === '"e"');
/** The edge's tag for the origin's `"e"` (`s`: strong) or `W/"e"` (`w`), made for some memberships. */
const MARKED_E = (kind: 's' | 'w' = 's'): RegExp => new RegExp(`^W/"e~seglet-${kind}[0-9a-f]{16}"$`);

describe('the validators of a personalised page', () => {
  it('a strong or weak ETag becomes the edge\'s weak W/"…~seglet-s|w<state>"; Last-Modified, digests and Accept-Ranges go', async () => {
    const origin = {
      'cache-control': 'public, max-age=600', 'last-modified': LAST_MODIFIED, 'accept-ranges': 'bytes',
      'content-digest': 'sha-256=:AAAA:', 'repr-digest': 'sha-256=:BBBB:', digest: 'SHA-256=CCCC', 'content-md5': 'Q2hlY2sgSW50ZWdyaXR5IQ==',
      'x-origin': 'kept',
    };
    const strong = await edge.get(edge.serve('/v-strong', html(PAGE, { ...origin, etag: '"e"' })), { headers: { cookie: 'seglet_m=returning' } });
    expect(strong.text).toBe(FOR_RETURNING);
    expect(strong.headers.get('etag')).toMatch(MARKED_E('s'));
    for (const name of ['last-modified', 'accept-ranges', 'content-digest', 'repr-digest', 'digest', 'content-md5']) expect(strong.headers.get(name), name).toBeNull();
    expect(strong.headers.get('x-origin')).toBe('kept');
    const weak = await edge.get(edge.serve('/v-weak', html(PAGE, { etag: 'W/"e"' })));
    expect(weak.headers.get('etag')).toMatch(MARKED_E('w'));
  });

  it('an ETag already marked is not marked twice; one that is not an entity-tag is dropped, as it could not be marked', async () => {
    const marked = await edge.get(edge.serve('/v-marked', html(PAGE, { etag: '"e~seglet"' })));
    expect(marked.headers.get('etag')).toBe('W/"e~seglet"');
    const stated = await edge.get(edge.serve('/v-marked-state', html(PAGE, { etag: '"e~seglet-s0123456789abcdef"' })));
    expect(stated.headers.get('etag')).toBe('W/"e~seglet-s0123456789abcdef"');
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
    expect(etag).toMatch(MARKED_E());
    // The visitor left the segment: the browser's copy no longer matches Vary: Cookie.
    const again = await edge.get(url, { headers: { cookie: 'seglet_m=', 'if-none-match': etag, 'if-modified-since': LAST_MODIFIED } });
    expect(lastReceived()['if-none-match']).toBeUndefined();
    expect(lastReceived()['if-modified-since']).toBeUndefined();
    expect(lastReceived().cookie).toBe('seglet_m=');
    expect(again.status).toBe(200);
    expect(again.text).toBe(PAGE);
    expect(again.headers.get('cache-control')).toBe('private, max-age=600');
    expect(again.headers.get('etag')).toMatch(MARKED_E());
    // Made for other memberships, so it has another tag.
    expect(again.headers.get('etag')).not.toBe(etag);
  });

  it('a marked tag anywhere in the list counts; an origin function gets a body-less GET with the same redirect mode', async () => {
    const url = edge.serve('/reval-list', { ...html(PAGE, { etag: '"e"' }), notModified: sameTag });
    await edge.reported();
    const res = await edge.get(url, { redirect: 'manual', headers: { cookie: 'seglet_m=returning', 'if-none-match': '"other", W/"e~seglet-s0123456789abcdef"', 'x-test-origin': 'recording' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe(FOR_RETURNING);
    // The unmarked tag goes on as it came: the origin's 304 to it is its own affair.
    expect(lastReceived()['if-none-match']).toBe('"other"');
    const { forwarded, originCalls } = await edge.reported();
    expect(originCalls).toEqual([{ thisValue: 'undefined', sameRequest: false }]);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).toMatchObject({ method: 'GET', hasBody: false, ifNoneMatch: '"other"', cookie: 'seglet_m=returning' });
    expect(forwarded[0]?.redirect).toBe(forwarded[0]?.incomingRedirect);
  });

  it('a tag marked before states were (a bare ~seglet) is always answered in full', async () => {
    const url = edge.serve('/reval-bare', { ...html(PAGE, { etag: '"e"' }), notModified: anyValidator });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', 'if-none-match': 'W/"e~seglet"', 'if-modified-since': LAST_MODIFIED } });
    expect(lastReceived()['if-none-match']).toBeUndefined();
    expect(lastReceived()['if-modified-since']).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.text).toBe(FOR_RETURNING);
    expect(res.headers.get('etag')).toMatch(MARKED_E());
  });

  it('a Range made conditional on a marked tag (If-Range) asks the origin for the whole page, personalised', async () => {
    const url = edge.serve('/reval-range', { ...html(PAGE, { etag: '"e"' }), notModified: anyValidator });
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning', range: 'bytes=0-9', 'if-range': 'W/"e~seglet-s0123456789abcdef"' } });
    expect(lastReceived().range).toBeUndefined();
    expect(lastReceived()['if-range']).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.text).toBe(FOR_RETURNING);
  });
});

describe('revalidating a copy made for the current memberships', () => {
  it('the origin gets its own tag back; its 304 comes back with the personalised headers and the same marked tag', async () => {
    const url = edge.serve('/same', { ...html(PAGE, { etag: '"e"', 'cache-control': 'public, max-age=600', 's-maxage': '1' }), notModified: sameTag });
    const first = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(first.text).toBe(FOR_RETURNING);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(MARKED_E());
    const again = await edge.get(url, { headers: { cookie: 'seglet_m=returning', 'if-none-match': etag } });
    expect(lastReceived()['if-none-match']).toBe('"e"');
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('private, max-age=600');
    expect(again.headers.get('vary')).toBe('Cookie');
  });

  it('a weak origin tag goes back weak; ids in the cookie the rules do not know change nothing', async () => {
    const url = edge.serve('/same-weak', { ...html(PAGE, { etag: 'W/"e"' }), notModified: sameTag });
    const first = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(MARKED_E('w'));
    const again = await edge.get(url, { headers: { cookie: 'seglet_m=returning,not-a-segment', 'if-none-match': etag } });
    expect(lastReceived()['if-none-match']).toBe('W/"e"');
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('a changed origin page (200 to its own tag) is personalised afresh', async () => {
    const url = edge.serve('/same-changed', { ...html(PAGE, { etag: '"e"' }), notModified: sameTag });
    const etag = (await edge.get(url, { headers: { cookie: 'seglet_m=returning' } })).headers.get('etag') ?? '';
    const changed = edge.serve('/same-changed', { ...html(`${PAGE}<p>new</p>`, { etag: '"f"' }), notModified: (h) => h['if-none-match'] === '"f"' });
    const res = await edge.get(changed, { headers: { cookie: 'seglet_m=returning', 'if-none-match': etag } });
    expect(lastReceived()['if-none-match']).toBe('"e"');
    expect(res.status).toBe(200);
    expect(res.text).toBe(`${FOR_RETURNING}<p>new</p>`);
    expect(res.headers.get('etag')).toMatch(/^W\/"f~seglet-s[0-9a-f]{16}"$/);
  });

  it('of two copies, only the one made for the current memberships is sent; a 304 naming an unmarked tag passes through', async () => {
    const url = edge.serve('/same-list', { ...html(PAGE, { etag: '"e"' }), notModified: sameTag });
    const forReturning = (await edge.get(url, { headers: { cookie: 'seglet_m=returning' } })).headers.get('etag') ?? '';
    const forNobody = (await edge.get(url)).headers.get('etag') ?? '';
    expect(forNobody).not.toBe(forReturning);
    const res = await edge.get(url, { headers: { 'if-none-match': `${forReturning}, ${forNobody}` } });
    expect(lastReceived()['if-none-match']).toBe('"e"');
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(forNobody);
    const plain = edge.serve('/same-plain', { ...html(PAGE, { etag: '"p"', 'cache-control': 'max-age=5' }), notModified: (h) => (h['if-none-match'] ?? '').includes('"p"') });
    const passed = await edge.get(plain, { headers: { cookie: 'seglet_m=returning', 'if-none-match': `"p", ${forReturning}` } });
    expect(lastReceived()['if-none-match']).toBe('"p", "e"');
    expect(passed.status).toBe(304);
    expect(passed.headers.get('etag')).toBe('"p"');
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
    const res = await edge.get(url, { method: 'HEAD', headers: { 'if-none-match': 'W/"e~seglet-s0123456789abcdef"' } });
    expect(lastReceived()['if-none-match']).toBe('W/"e~seglet-s0123456789abcdef"');
    expect(res.status).toBe(304);
  });
});
