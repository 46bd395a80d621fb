import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, TOKEN, batch, bid, post, raw, read, req, start } from './helpers.js';
import type { Collector } from '../src/index.js';

let url: string;
let collector: Collector;
beforeAll(async () => { ({ url, collector } = await start()); });
afterAll(() => collector.close());

const T = Date.now() - 60_000;

describe('POST /v1/beacon', () => {
  it('answers 204 with the exact origin, Vary, exposed Retry-After and no Cache-Control', async () => {
    const r = await post(url, batch('a1', [{ segment: 'high-intent', member: true, t: T }], { members: ['high-intent'] }));
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(r.headers.vary).toBe('Origin');
    expect(r.headers['access-control-expose-headers']).toBe('Retry-After');
    expect(r.headers['cache-control']).toBeUndefined();
    expect(r.text).toBe('');
    const p = await read(url, '/v1/profiles/a1');
    expect(p.status).toBe(200);
    expect(p.json()).toMatchObject({ members: ['high-intent'] });
  });

  it('refuses a sentAt over a day ahead with its path, and exposes the Date the page corrects its clock from', async () => {
    const ahead = Date.now() + 3 * 86_400_000;
    const r = await post(url, batch('clock1', [{ segment: 'x', member: true, t: ahead - 1000 }], { sentAt: ahead }));
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ path: '/sentAt' });
    expect(r.headers['access-control-expose-headers']).toBe('Retry-After, Date');
    expect(Math.abs(Date.parse(String(r.headers.date)) - Date.now())).toBeLessThan(2000);
  });

  it('accepts any content type', async () => {
    for (const ct of ['application/json', 'text/plain', 'application/octet-stream']) {
      expect((await post(url, batch('ct', []), { 'Content-Type': ct })).status).toBe(204);
    }
    const r = await req(`${url}/v1/beacon`, { method: 'POST', headers: { Origin: ORIGIN }, body: JSON.stringify(batch('ct', [])) });
    expect(r.status).toBe(204);
  });

  it.each([
    ['missing Origin', undefined],
    ['Origin: null', 'null'],
    ['another origin', 'https://evil.example'],
    ['origin with a different port', 'https://shop.example:8443'],
    ['origin with a path-like suffix', 'https://shop.example/'],
    ['http instead of https', 'http://shop.example'],
  ])('403 for %s, readable by the page (Access-Control-Allow-Origin: *) so the browser drops the batch', async (_name, origin) => {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
    if (origin !== undefined) headers.Origin = origin;
    const r = await req(`${url}/v1/beacon`, { method: 'POST', headers, body: JSON.stringify(batch('o1', [])) });
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({ error: 'origin_not_allowed' });
    // Unreadable, it was a network error to the browser, which retried the batch for 24 h.
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers the CORS preflight for an allowed origin only', async () => {
    const ok = await req(`${url}/v1/beacon`, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(ok.headers['access-control-allow-methods']).toBe('POST');
    expect(ok.headers['access-control-allow-headers']).toBe('Content-Type');
    expect(Number(ok.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(ok.headers.vary).toBe('Origin');
    const bad = await req(`${url}/v1/beacon`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(bad.status).toBe(403);
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    ['not JSON', 'hello', 'invalid_json', undefined],
    ['empty body', '', 'invalid_json', undefined],
    ['duplicate keys', '{"v":1,"id":"a","id":"b","anonymousId":"x","sentAt":1,"changes":[]}', 'invalid_json', undefined],
    ['a BOM', '\ufeff{"v":1}', 'invalid_json', undefined],
    ['trailing comma', '{"v":1,}', 'invalid_json', undefined],
    ['an array', '[]', 'invalid_beacon', ''],
    ['v 2', { v: 2, id: 'a', anonymousId: 'x', sentAt: 1, changes: [] }, 'invalid_beacon', '/v'],
    ['missing id', { v: 1, anonymousId: 'x', sentAt: 1, changes: [] }, 'invalid_beacon', '/id'],
    ['id too long', { v: 1, id: 'a'.repeat(129), anonymousId: 'x', sentAt: 1, changes: [] }, 'invalid_beacon', '/id'],
    ['id with a dot', { v: 1, id: 'a.b', anonymousId: 'x', sentAt: 1, changes: [] }, 'invalid_beacon', '/id'],
    ['empty anonymousId', { v: 1, id: 'a', anonymousId: '', sentAt: 1, changes: [] }, 'invalid_beacon', '/anonymousId'],
    ['userId too long', { v: 1, id: 'a', anonymousId: 'x', userId: 'u'.repeat(257), sentAt: 1, changes: [] }, 'invalid_beacon', '/userId'],
    ['userId a number', { v: 1, id: 'a', anonymousId: 'x', userId: 5, sentAt: 1, changes: [] }, 'invalid_beacon', '/userId'],
    ['sentAt a float', { v: 1, id: 'a', anonymousId: 'x', sentAt: 1.5, changes: [] }, 'invalid_beacon', '/sentAt'],
    ['sentAt negative', { v: 1, id: 'a', anonymousId: 'x', sentAt: -1, changes: [] }, 'invalid_beacon', '/sentAt'],
    ['sentAt 2 days ahead', { v: 1, id: 'a', anonymousId: 'x', sentAt: Date.now() + 2 * 86_400_000, changes: [] }, 'invalid_beacon', '/sentAt'],
    ['changes missing', { v: 1, id: 'a', anonymousId: 'x', sentAt: 1 }, 'invalid_beacon', '/changes'],
    ['bad segment id', { v: 1, id: 'a', anonymousId: 'x', sentAt: 1, changes: [{ segment: 'High', member: true, t: 1 }] }, 'invalid_beacon', '/changes/0/segment'],
    ['member a string', { v: 1, id: 'a', anonymousId: 'x', sentAt: 1, changes: [{ segment: 'ok', member: 'yes', t: 1 }] }, 'invalid_beacon', '/changes/0/member'],
    ['t missing', { v: 1, id: 'a', anonymousId: 'x', sentAt: 1, changes: [{ segment: 'ok', member: true, t: 1 }, { segment: 'ok', member: true }] }, 'invalid_beacon', '/changes/1/t'],
    ['members with a bad id', { v: 1, id: 'a', anonymousId: 'x', sentAt: 1, changes: [], members: ['ok', '-no'] }, 'invalid_beacon', '/members/1'],
    ['forget false', { v: 1, id: 'a', anonymousId: 'x', forget: false }, 'invalid_beacon', '/forget'],
  ])('400 for %s', async (_name, body, error, path) => {
    const r = await post(url, typeof body === 'string' ? body : JSON.stringify(body));
    expect(r.status).toBe(400);
    const j = r.json() as { error: string; message: string; path?: string };
    expect(j.error).toBe(error);
    expect(j.message).toMatch(/^seglet: /);
    expect(j.path).toBe(path);
    expect(r.text).not.toMatch(/at .*\.ts/);
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('400 for invalid UTF-8', async () => {
    const r = await post(url, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: 'invalid_json' });
  });

  it('accepts changes: [], unknown keys, and a forget request without sentAt', async () => {
    expect((await post(url, { ...batch('u1', []), extra: { nested: [1, 2] }, future: true })).status).toBe(204);
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'u1', forget: true })).status).toBe(204);
  });
});

describe('read routes', () => {
  it('require the bearer token (401 with WWW-Authenticate, no-store, no CORS)', async () => {
    for (const [path, method] of [['/v1/profiles/a1', 'GET'], ['/v1/segments', 'GET'], ['/v1/profiles/a1', 'DELETE']] as const) {
      for (const auth of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, 'Bearer', `Bearer ${TOKEN}x`]) {
        const headers: Record<string, string> = { Origin: ORIGIN };
        if (auth) headers.Authorization = auth;
        const r = await req(`${url}${path}`, { method, headers });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toBe('Bearer');
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.headers['access-control-allow-origin']).toBeUndefined();
        expect(r.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
  });

  it('GET profile: 200 with members, updatedAt (server time) and userId; 404 not_found when unknown', async () => {
    const before = Date.now();
    await post(url, batch('p1', [{ segment: 'b-seg', member: true, t: T }, { segment: 'a-seg', member: true, t: T }], { userId: 'user-42', sentAt: 5 }));
    const r = await read(url, '/v1/profiles/p1');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const j = r.json() as { members: string[]; updatedAt: number; userId: string };
    expect(j.members).toEqual(['a-seg', 'b-seg']);
    expect(j.userId).toBe('user-42');
    expect(j.updatedAt).toBeGreaterThanOrEqual(before);
    expect(j.updatedAt).toBeLessThanOrEqual(Date.now());
    const missing = await read(url, '/v1/profiles/nobody');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
    expect((await read(url, '/v1/profiles/bad%2Fid')).status).toBe(404);
  });

  it('DELETE forgets (204 even for unknown ids); late batches for the id are acknowledged and dropped', async () => {
    await post(url, batch('f1', [{ segment: 'gone', member: true, t: T }], { userId: 'u-f1' }));
    expect((await read(url, '/v1/segments')).json()).toMatchObject({ segments: expect.arrayContaining([expect.objectContaining({ id: 'gone', members: 1 })]) });
    const d = await read(url, '/v1/profiles/f1', 'DELETE');
    expect(d.status).toBe(204);
    expect(d.headers['cache-control']).toBe('no-store');
    expect((await read(url, '/v1/profiles/f1')).status).toBe(404);
    expect((await read(url, '/v1/profiles/never-seen', 'DELETE')).status).toBe(204);
    expect((await post(url, batch('f1', [{ segment: 'gone', member: true, t: Date.now() }]))).status).toBe(204);
    expect((await read(url, '/v1/profiles/f1')).status).toBe(404);
    const seg = ((await read(url, '/v1/segments')).json() as { segments: { id: string; members: number; days: { enters: number }[] }[] }).segments.find((s) => s.id === 'gone');
    expect(seg?.members).toBe(0);
    expect(seg?.days.reduce((n, d) => n + d.enters, 0)).toBe(1);
  });

  it('GET /v1/segments: counts and daily enters/exits, ?days=N, 400 for a bad N', async () => {
    await post(url, batch('s1', [{ segment: 'seg-x', member: true, t: T }]));
    await post(url, batch('s2', [{ segment: 'seg-x', member: true, t: T }]));
    await post(url, batch('s2', [{ segment: 'seg-x', member: false, t: T + 1 }]));
    const r = await read(url, '/v1/segments?days=7');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const seg = (r.json() as { segments: { id: string; members: number; days: { day: string; enters: number; exits: number }[] }[] }).segments.find((s) => s.id === 'seg-x');
    expect(seg?.members).toBe(1);
    expect(seg?.days).toHaveLength(7);
    expect(seg?.days[6]).toEqual({ day: new Date(T).toISOString().slice(0, 10), enters: 2, exits: 1 });
    expect(((await read(url, '/v1/segments')).json() as { segments: { days: unknown[] }[] }).segments[0]?.days).toHaveLength(90);
    for (const bad of ['0', '91', 'x', '-1', '1.5']) {
      const b = await read(url, `/v1/segments?days=${bad}`);
      expect(b.status).toBe(400);
      expect(b.json()).toMatchObject({ error: 'invalid_query' });
    }
  });
});

describe('routing', () => {
  it('404 for unknown routes, 405 with Allow for wrong methods, 200 healthz without a token', async () => {
    expect((await req(`${url}/nope`)).status).toBe(404);
    expect((await req(`${url}/v1/beacon/x`, { method: 'POST' })).status).toBe(404);
    expect((await req(`${url}/v1/profiles/`)).status).toBe(404);
    const nf = await req(`${url}/nope`);
    expect(nf.json()).toMatchObject({ error: 'not_found' });
    const g = await req(`${url}/v1/beacon`);
    expect(g.status).toBe(405);
    expect(g.headers.allow).toBe('POST, OPTIONS');
    expect(g.json()).toMatchObject({ error: 'method_not_allowed' });
    const p = await req(`${url}/v1/segments`, { method: 'POST' });
    expect(p.status).toBe(405);
    expect(p.headers.allow).toBe('GET, HEAD');
    const pp = await req(`${url}/v1/profiles/x`, { method: 'PUT' });
    expect(pp.status).toBe(405);
    expect(pp.headers.allow).toBe('GET, HEAD, DELETE');
    const h = await req(`${url}/healthz`);
    expect(h.status).toBe(200);
    expect((await req(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('CONNECT gets a 405 with Allow like any other method, not a silently closed connection', async () => {
    const out = await raw(url, ['CONNECT shop.example:443 HTTP/1.1\r\nHost: shop.example:443\r\n\r\n']);
    expect(out).toMatch(/^HTTP\/1\.1 405 /);
    expect(out).toMatch(/\r\nAllow: GET, HEAD, POST, OPTIONS, DELETE\r\n/);
    expect(out).toContain('"error":"method_not_allowed"');
  });
});
