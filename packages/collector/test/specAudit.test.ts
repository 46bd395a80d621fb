// Spec audit (runtime.md sections 4, 5 and 7 "Collector"): statements the other test files do not
// pin down, each checked against a real collector on loopback.
import { describe, expect, inject, it } from 'vitest';
import { ORIGIN, useCollectors, TOKEN, batch, bid, post, raw, read, req, start, tmpDb } from './helpers.js';
import { RedisStore, SqliteStore } from '../src/index.js';
import type { Store } from '../src/index.js';

const DAY = 86_400_000;
const { opened, collector } = useCollectors();


/** A SQLite store whose reads or writes fail, as a store that lost its disk or its Redis would. */
function failing(which: 'read' | 'write'): Store {
  const inner = new SqliteStore(tmpDb(), { ttlMs: 90 * DAY, webhooks: false });
  const boom = () => Promise.reject(new Error('disk on fire'));
  return Object.assign(Object.create(inner) as Store, which === 'read'
    ? { profile: boom, segments: boom, forget: boom }
    : { apply: boom });
}

describe('CORS: every answer to an allowed origin', () => {
  it('carries the exact origin, Vary: Origin and the exposed Retry-After on a 408 for a slow body', async () => {
    const url = await collector({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const out = await raw(url, [`POST /v1/beacon HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n{"v":1`]);
    expect(out).toMatch(/^HTTP\/1\.1 408/);
    expect(out).toMatch(new RegExp(`\r\nAccess-Control-Allow-Origin: ${ORIGIN}\r\n`, 'i'));
    expect(out).toMatch(/\r\nVary: Origin\r\n/i);
    expect(out).toMatch(/\r\nAccess-Control-Expose-Headers: Retry-After\r\n/i);
    expect(out).not.toMatch(/\r\nCache-Control:/i);
  });

  it('carries them on 404, 405 and a 500 from a failing store, which has no Cache-Control and no stack', async () => {
    const url = await collector({ store: failing('write') });
    for (const [path, method, status] of [['/v1/nope', 'POST', 404], ['/v1/beacon', 'GET', 405]] as const) {
      const r = await req(`${url}${path}`, { method, headers: { Origin: ORIGIN } });
      expect(r.status).toBe(status);
      expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(r.headers.vary).toBe('Origin');
    }
    const r = await post(url, batch('s1', [{ segment: 'x', member: true, t: Date.now() }]));
    expect(r.status).toBe(500);
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(r.headers['cache-control']).toBeUndefined();
    expect(r.json()).toMatchObject({ error: 'internal', message: expect.stringMatching(/^seglet: /) });
    expect(r.text).not.toMatch(/disk on fire|at .*\.[jt]s/);
  });
});

describe('read routes answer Cache-Control: no-store and no CORS', () => {
  it('also when the store fails (500 with a JSON error, never a stack)', async () => {
    const url = await collector({ store: failing('read') });
    for (const [path, method] of [['/v1/profiles/a1', 'GET'], ['/v1/segments', 'GET'], ['/v1/profiles/a1', 'DELETE']] as const) {
      const r = await req(`${url}${path}`, { method, headers: { Origin: ORIGIN, Authorization: `Bearer ${TOKEN}` } });
      expect(r.status, `${method} ${path}`).toBe(500);
      expect(r.headers['cache-control'], `${method} ${path}`).toBe('no-store');
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      expect(r.json()).toMatchObject({ error: 'internal', message: expect.stringMatching(/^seglet: /) });
      expect(r.text).not.toMatch(/disk on fire|at .*\.[jt]s/);
    }
  });
});

describe('input', () => {
  it('t and sentAt: integers in [0, now + 1 day], bounds included', async () => {
    const now = Date.UTC(2026, 2, 1, 12);
    const url = await collector({ now: () => now });
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'tb', sentAt: now + DAY, changes: [{ segment: 'x', member: true, t: now + DAY }] })).status).toBe(204);
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'tb', sentAt: 0, changes: [{ segment: 'x', member: true, t: 0 }] })).status).toBe(204);
    const late = await post(url, { v: 1, id: bid(), anonymousId: 'tb', sentAt: now, changes: [{ segment: 'x', member: true, t: now + DAY + 1 }] });
    expect(late.status).toBe(400);
    expect(late.json()).toMatchObject({ path: '/changes/0/t' });
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'tb', sentAt: now + DAY + 1, changes: [] })).json()).toMatchObject({ path: '/sentAt' });
  });

  it('duplicate keys are 400 also when spelled with an escape or inside a change', async () => {
    const url = await collector();
    const t = Date.now();
    for (const body of [
      `{"v":1,"id":"a1","\\u0069d":"a2","anonymousId":"dk","sentAt":${t},"changes":[]}`,
      `{"v":1,"id":"a3","anonymousId":"dk","sentAt":${t},"changes":[{"segment":"x","member":true,"member":false,"t":${t}}]}`,
    ]) {
      const r = await post(url, body);
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ error: 'invalid_json' });
    }
  });

  it('id and anonymousId of exactly 128 characters, userId of exactly 256, are accepted', async () => {
    const url = await collector();
    const r = await post(url, { v: 1, id: 'i'.repeat(128), anonymousId: 'A'.repeat(128), userId: 'u'.repeat(256), sentAt: Date.now(), changes: [] });
    expect(r.status).toBe(204);
    expect((await read(url, `/v1/profiles/${'A'.repeat(128)}`)).json()).toMatchObject({ userId: 'u'.repeat(256) });
  });
});

describe('rate limit default', () => {
  it('is 100/s with a burst of 200 per client', async () => {
    const now = Date.now();
    // A frozen clock: no token comes back while the burst is spent.
    const { url, collector: c } = await start({ rateLimit: undefined, now: () => now });
    opened.push(c);
    const statuses: number[] = [];
    for (let i = 0; i < 201; i++) statuses.push((await post(url, batch(`rl${i}`, []))).status);
    expect(statuses.slice(0, 200).every((s) => s === 204)).toBe(true);
    expect(statuses[200]).toBe(429);
  });
});

describe('retention of seen ids and tombstones (at least 7 days)', () => {
  const open = async (clock: { now: number }): Promise<{ url: string; store: Store }> => {
    const { url, collector: c } = await start({ now: () => clock.now });
    opened.push(c);
    return { url, store: c.store };
  };

  it('a batch id is still acknowledged and not applied again just under 7 days later, after a purge', async () => {
    const clock = { now: Date.now() };
    const { url, store } = await open(clock);
    const first = batch('d7', [{ segment: 'x', member: true, t: clock.now - 1000 }]);
    expect((await post(url, first)).status).toBe(204);
    clock.now += 7 * DAY - 1;
    await store.purge(clock.now);
    const replay = { ...first, sentAt: clock.now, changes: [{ segment: 'x', member: false, t: clock.now - 10 }] };
    expect((await post(url, replay)).status).toBe(204);
    expect((await read(url, '/v1/profiles/d7')).json()).toMatchObject({ members: ['x'] });
  });

  it('a late batch for a forgotten id is acknowledged and dropped just under 7 days later', async () => {
    const clock = { now: Date.now() };
    const { url, store } = await open(clock);
    expect((await post(url, batch('t7', [{ segment: 'x', member: true, t: clock.now - 1000 }]))).status).toBe(204);
    expect((await read(url, '/v1/profiles/t7', 'DELETE')).status).toBe(204);
    clock.now += 7 * DAY - 1;
    await store.purge(clock.now);
    expect((await post(url, batch('t7', [{ segment: 'x', member: true, t: clock.now - 10 }], { sentAt: clock.now }))).status).toBe(204);
    expect((await read(url, '/v1/profiles/t7')).status).toBe(404);
  });
});

describe.each(['sqlite', 'redis'] as const)('semantics over HTTP (%s)', (kind) => {
  it('members alone sets the profile; changes and members both feed the counts as transitions', async () => {
    const store = kind === 'redis'
      ? await RedisStore.connect(inject('redisUrl'), { ttlMs: 90 * DAY, webhooks: false, prefix: `audit${Date.now()}:` })
      : undefined;
    const url = await collector(store ? { store } : {});
    const t = Date.now() - 5000;
    expect((await post(url, batch('ms', [], { members: ['a', 'b'], sentAt: t }))).status).toBe(204);
    expect((await read(url, '/v1/profiles/ms')).json()).toMatchObject({ members: ['a', 'b'] });
    expect((await post(url, batch('ms', [{ segment: 'c', member: true, t: t + 1 }], { members: ['c'] }))).status).toBe(204);
    expect((await read(url, '/v1/profiles/ms')).json()).toMatchObject({ members: ['c'] });
    const segs = ((await read(url, '/v1/segments?days=2')).json() as { segments: { id: string; members: number; days: { enters: number; exits: number }[] }[] }).segments;
    const total = (id: string) => {
      const s = segs.find((x) => x.id === id);
      return { members: s?.members, enters: s?.days.reduce((n, d) => n + d.enters, 0), exits: s?.days.reduce((n, d) => n + d.exits, 0) };
    };
    expect(total('a')).toEqual({ members: 0, enters: 1, exits: 1 });
    expect(total('c')).toEqual({ members: 1, enters: 1, exits: 0 });
  });
});
