// Edge cases (runtime.md sections 4, 5 and 7 "Beacons"/"Collector"): scenarios the other test files
// do not cover, each against a real collector on loopback (SQLite, and Redis where stores may differ).
import { describe, expect, inject, it } from 'vitest';
import { ORIGIN, useCollectors, batch, bid, post, raw, read, req } from './helpers.js';
import { RedisStore } from '../src/index.js';
import type { CollectorOptions } from '../src/index.js';

const DAY = 86_400_000;
const { collector } = useCollectors();

let prefixes = 0;
async function both(opts: Partial<CollectorOptions> = {}): Promise<Record<'sqlite' | 'redis', string>> {
  const store = await RedisStore.connect(inject('redisUrl'), { ttlMs: (opts.ttlDays ?? 90) * DAY, webhooks: false, prefix: `edge-cases${process.pid}:${Date.now()}:${prefixes++}:` });
  return { sqlite: await collector(opts), redis: await collector({ ...opts, store }) };
}

type Segs = { segments: { id: string; members: number; days: { day: string; enters: number; exits: number }[] }[] };
const totals = async (url: string): Promise<Record<string, { members: number; enters: number; exits: number }>> => {
  const segs = ((await read(url, '/v1/segments?days=3')).json() as Segs).segments;
  return Object.fromEntries(segs.map((s) => [s.id, { members: s.members, enters: s.days.reduce((n, d) => n + d.enters, 0), exits: s.days.reduce((n, d) => n + d.exits, 0) }]));
};

describe('validation limits at their exact boundaries', () => {
  it('segment ids of 64 characters are accepted, 65 refused (changes and members)', async () => {
    const url = await collector();
    const t = Date.now() - 1000;
    const s64 = `a${'b'.repeat(63)}`;
    expect((await post(url, batch('seg64', [{ segment: s64, member: true, t }], { members: [s64] }))).status).toBe(204);
    const bad = await post(url, batch('seg65', [{ segment: `${s64}c`, member: true, t }]));
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ path: '/changes/0/segment' });
    const bad2 = await post(url, batch('seg65', [], { members: [`${s64}c`] }));
    expect(bad2.json()).toMatchObject({ path: '/members/0' });
  });

  it('a chunked body of exactly 65,536 bytes is accepted', async () => {
    const url = await collector();
    const b = JSON.stringify({ ...batch('chunk64', []), pad: '' });
    const body = b.replace('"pad":""', `"pad":"${'x'.repeat(65_536 - b.length)}"`);
    expect(body).toHaveLength(65_536);
    const head = `POST /v1/beacon HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const chunks = [body.slice(0, 40_000), body.slice(40_000)].map((c) => `${c.length.toString(16)}\r\n${c}\r\n`);
    const out = await raw(url, [head, ...chunks, '0\r\n\r\n']);
    expect(out).toMatch(/^HTTP\/1\.1 204/);
  });

  it('t exactly now + 1 day inside a forget request\'s sentAt is accepted, one more ms refused', async () => {
    const now = Date.UTC(2026, 2, 1, 12);
    const url = await collector({ now: () => now });
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'fs', forget: true, sentAt: now + DAY })).status).toBe(204);
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'fs', forget: true, sentAt: now + DAY + 1 })).status).toBe(400);
  });
});

describe('duplicate batch ids', () => {
  it('the same id from another anonymousId is acknowledged and not applied', async () => {
    const url = await collector();
    const first = batch('dupA', [{ segment: 'x', member: true, t: Date.now() - 1000 }]);
    expect((await post(url, first)).status).toBe(204);
    expect((await post(url, { ...first, anonymousId: 'dupB' })).status).toBe(204);
    expect((await read(url, '/v1/profiles/dupB')).status).toBe(404);
  });

  it('a batch refused with 400 is not remembered: the same id, corrected, is applied', async () => {
    const url = await collector();
    const id = bid();
    expect((await post(url, { v: 1, id, anonymousId: 'fix', sentAt: Date.now(), changes: [{ segment: 'Bad', member: true, t: 1 }] })).status).toBe(400);
    expect((await post(url, { v: 1, id, anonymousId: 'fix', sentAt: Date.now(), changes: [{ segment: 'good', member: true, t: Date.now() - 5 }] })).status).toBe(204);
    expect((await read(url, '/v1/profiles/fix')).json()).toMatchObject({ members: ['good'] });
  });

  it('a concurrent duplicate forget request is acknowledged twice and forgets once (both stores)', async () => {
    const urls = await both();
    for (const url of Object.values(urls)) {
      expect((await post(url, batch('cf', [{ segment: 'x', member: true, t: Date.now() - 1000 }]))).status).toBe(204);
      const f = { v: 1, id: bid(), anonymousId: 'cf', forget: true };
      const answers = await Promise.all([post(url, f), post(url, f), post(url, f)]);
      expect(answers.map((a) => a.status)).toEqual([204, 204, 204]);
      expect((await read(url, '/v1/profiles/cf')).status).toBe(404);
    }
  });
});

describe('out-of-order batches and sentAt', () => {
  it.each(['sqlite', 'redis'] as const)('an older batch retried late with a newer sentAt changes nothing (%s)', async (kind) => {
    const url = (await both())[kind];
    const t = Date.now() - 60_000;
    const older = batch('ooo', [{ segment: 'x', member: true, t }], { members: ['x'], sentAt: t + 1 });
    const newer = batch('ooo', [{ segment: 'x', member: false, t: t + 10_000 }], { members: [], sentAt: t + 10_001 });
    expect((await post(url, newer)).status).toBe(204);
    // sentAt is set per attempt: the retry of the older batch carries a sentAt after the newer one's.
    expect((await post(url, { ...older, sentAt: Date.now() })).status).toBe(204);
    expect((await read(url, '/v1/profiles/ooo')).json()).toMatchObject({ members: [] });
    expect((await totals(url)).x ?? { members: 0, enters: 0, exits: 0 }).toMatchObject({ members: 0, enters: 0, exits: 0 });
  });

  it.each(['sqlite', 'redis'] as const)('split batches applied last-first give the final set (%s)', async (kind) => {
    const url = (await both())[kind];
    const t = Date.now() - 60_000;
    const part1 = batch('split', [{ segment: 'a', member: true, t }, { segment: 'b', member: true, t }]);
    const part2 = batch('split', [{ segment: 'b', member: false, t: t + 5 }, { segment: 'c', member: true, t: t + 5 }], { members: ['a', 'c'] });
    expect((await post(url, part2)).status).toBe(204);
    expect((await post(url, part1)).status).toBe(204);
    expect((await read(url, '/v1/profiles/split')).json()).toMatchObject({ members: ['a', 'c'] });
    expect((await totals(url)).b?.members ?? 0).toBe(0);
  });
});

describe('forget', () => {
  it.each(['sqlite', 'redis'] as const)('forget beacon, then DELETE, then a late batch: dropped; counts lowered once, history kept (%s)', async (kind) => {
    const url = (await both())[kind];
    const t = Date.now() - 60_000;
    expect((await post(url, batch('fg', [{ segment: 'x', member: true, t }], { userId: 'u-1' }))).status).toBe(204);
    expect((await post(url, batch('fg2', [{ segment: 'x', member: true, t }]))).status).toBe(204);
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'fg', forget: true })).status).toBe(204);
    expect((await read(url, '/v1/profiles/fg', 'DELETE')).status).toBe(204);
    expect((await post(url, batch('fg', [{ segment: 'x', member: true, t: t + 10 }]))).status).toBe(204);
    expect((await read(url, '/v1/profiles/fg')).status).toBe(404);
    expect((await totals(url)).x).toEqual({ members: 1, enters: 2, exits: 0 });
  });

  it.each(['sqlite', 'redis'] as const)('a forget request carrying changes applies none of them (%s)', async (kind) => {
    const url = (await both())[kind];
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'fc', forget: true, changes: [{ segment: 'y', member: true, t: Date.now() - 5 }], members: ['y'] })).status).toBe(204);
    expect((await read(url, '/v1/profiles/fc')).status).toBe(404);
    expect((await totals(url)).y).toBeUndefined();
  });
});

describe('rate limiting and Retry-After', () => {
  it('a retry after Retry-After seconds is accepted; 429 costs no token', async () => {
    const clock = { now: Date.now() };
    const url = await collector({ rateLimit: 1, burst: 2, now: () => clock.now });
    expect((await post(url, batch('ra', []))).status).toBe(204);
    expect((await post(url, batch('ra', []))).status).toBe(204);
    const limited = await post(url, batch('ra', []));
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBe(1);
    for (let i = 0; i < 5; i++) expect((await post(url, batch('ra', []))).status).toBe(429);
    clock.now += wait * 1000;
    expect((await post(url, batch('ra', []))).status).toBe(204);
  });

  it('preflights, read routes and refused origins do not use up the beacon rate', async () => {
    const url = await collector({ rateLimit: 1, burst: 1, now: () => 1_800_000_000_000 });
    for (let i = 0; i < 5; i++) {
      expect((await req(`${url}/v1/beacon`, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } })).status).toBe(204);
      expect((await read(url, '/v1/segments')).status).toBe(200);
      expect((await req(`${url}/v1/beacon`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: '{}' })).status).toBe(403);
    }
    expect((await post(url, { v: 1, id: bid(), anonymousId: 'rt', sentAt: 1_800_000_000_000, changes: [] })).status).toBe(204);
  });
});

describe('SQLite and Redis agree over HTTP', () => {
  it('on userId handling, empty members sets, repeated enters and exits of unknown segments', async () => {
    const urls = await both();
    const t = Date.now() - 60_000;
    const steps = [
      batch('ag', [{ segment: 'a', member: true, t }, { segment: 'b', member: false, t }], { userId: '' }),
      batch('ag', [{ segment: 'a', member: true, t: t + 1 }], { members: ['a', 'c'] }),
      batch('ag', [], { members: [], sentAt: t + 2 }),
      batch('ag', [{ segment: 'c', member: true, t: t + 3 }, { segment: 'c', member: false, t: t + 3 }], { userId: 'ü/"\\' }),
      batch('ag2', [{ segment: 'a', member: false, t }]),
    ];
    const results: Record<string, unknown> = {};
    for (const [kind, url] of Object.entries(urls)) {
      for (const s of steps) expect((await post(url, s)).status).toBe(204);
      const profile = (await read(url, '/v1/profiles/ag')).json() as { updatedAt?: number };
      delete profile.updatedAt;
      const ag2 = (await read(url, '/v1/profiles/ag2')).json() as { updatedAt?: number };
      delete ag2.updatedAt;
      results[kind] = { profile, ag2, totals: await totals(url) };
    }
    expect(results.redis).toEqual(results.sqlite);
    expect(results.sqlite).toMatchObject({ profile: { members: [], userId: 'ü/"\\' } });
  });
});

describe('read routes', () => {
  it('HEAD on the read routes answers like GET without a body; a bad percent-encoding is a 404', async () => {
    const url = await collector();
    expect((await post(url, batch('hd', [{ segment: 'x', member: true, t: Date.now() - 5 }]))).status).toBe(204);
    const head = await req(`${url}/v1/profiles/hd`, { method: 'HEAD', headers: { Authorization: 'Bearer read-token-123' } });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['cache-control']).toBe('no-store');
    const bad = await read(url, '/v1/profiles/%E0%A4%A');
    expect(bad.status).toBe(404);
    expect(bad.json()).toMatchObject({ error: 'not_found' });
  });
});
