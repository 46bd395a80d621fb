// Differential test: random batch sequences (late, duplicated, members sets, forgets) applied to
// both stores (SQLite runs the pure planner, Redis its Lua mirror) give the same outcomes,
// profiles, counts and webhook bodies; a second one adds userIds, DELETE-style forgets and
// server time moving on (expiry, day clamping) with fresh stores per run.
import { describe, expect, inject, it } from 'vitest';
import fc from 'fast-check';
import { RedisStore, SqliteStore } from '../src/index.js';
import type { Beacon, Store } from '../src/index.js';
import { tmpDb } from './helpers.js';

const T0 = Date.now() - 3600_000;
const seg = fc.constantFrom('a', 'b', 'c');
const aid = fc.constantFrom('p1', 'p2');
const op = fc.record({
  aid,
  id: fc.integer({ min: 0, max: 30 }),
  forget: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  changes: fc.array(fc.record({ segment: seg, member: fc.boolean(), t: fc.integer({ min: 0, max: 20 }).map((d) => T0 + d) }), { maxLength: 4 }),
  members: fc.option(fc.uniqueArray(seg, { maxLength: 3 }), { nil: undefined }),
  sentAt: fc.integer({ min: 0, max: 20 }).map((d) => T0 + d),
});

async function snapshot(store: Store, run: string, now: number) {
  const profiles = await Promise.all(['p1', 'p2'].map((p) => store.profile(`${run}${p}`, now)));
  const segments = await store.segments(2, now);
  const jobs = (await store.takeWebhooks(now, 1000, 60_000)).map((j) => JSON.parse(j.body) as unknown)
    .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return { profiles, segments, jobs };
}

describe('SQLite and Redis agree', () => {
  it('on random batch sequences', async () => {
    // One pair of stores for all runs (opening is the slow part); runs use their own ids.
    const settings = { ttlMs: 86_400_000, webhooks: true };
    const sqlite = new SqliteStore(tmpDb(), settings);
    const redis = await RedisStore.connect(inject('redisUrl'), { ...settings, prefix: `agree${Date.now()}:` });
    let run = 0;
    try {
      await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const r = `r${run++}-`;
        const now = Date.now();
        for (const o of ops) {
          const beacon: Beacon = { id: `${r}b${o.id}`, anonymousId: `${r}${o.aid}`, forget: o.forget, sentAt: o.sentAt, changes: o.forget ? [] : o.changes, ...(o.members && !o.forget ? { members: o.members } : {}) };
          const [x, y] = await Promise.all([sqlite.apply(beacon, now), redis.apply(beacon, now)]);
          expect(y).toBe(x);
        }
        expect(await snapshot(redis, r, now)).toEqual(await snapshot(sqlite, r, now));
      }), { numRuns: 100, seed: 4242 });
    } finally {
      await sqlite.close();
      await redis.close();
    }
  });

  it('list the same segments when one has no current member and no change inside the window', async () => {
    const settings = { ttlMs: 86_400_000, webhooks: false };
    const sqlite = new SqliteStore(tmpDb(), settings);
    const redis = await RedisStore.connect(inject('redisUrl'), { ...settings, prefix: `quiet${Date.now()}:` });
    try {
      const now = Date.UTC(2026, 10, 2, 12);
      const beacon: Beacon = { id: 'q1', anonymousId: 'q', forget: false, sentAt: now, changes: [{ segment: 'quiet', member: true, t: now }] };
      await Promise.all([sqlite.apply(beacon, now), redis.apply(beacon, now)]);
      // Three days on: the member has expired (ttl one day) and the enter lies outside a 1-day window.
      const later = now + 3 * 86_400_000;
      const [x, y] = await Promise.all([sqlite.segments(1, later), redis.segments(1, later)]);
      expect(y).toEqual(x);
      expect(x).toEqual([]);
      expect((await redis.segments(7, later)).map((s) => s.id)).toEqual(['quiet']);
    } finally {
      await sqlite.close();
      await redis.close();
    }
  });

  it('with userIds, DELETE forgets and server time moving on, checked after every step', async () => {
    const settings = { ttlMs: 86_400_000, webhooks: true };
    const step = fc.record({
      aid,
      kind: fc.constantFrom('apply', 'apply', 'apply', 'forget beacon', 'DELETE'),
      id: fc.integer({ min: 0, max: 30 }),
      userId: fc.option(fc.constantFrom('u1', 'u2', ''), { nil: undefined }),
      // Changes from 18 h before to 5 days after the first step: some clamped, some expired.
      changes: fc.array(fc.record({ segment: seg, member: fc.boolean(), t: fc.integer({ min: -3, max: 20 }).map((q) => T0 + q * 21_600_000) }), { maxLength: 4 }),
      members: fc.option(fc.uniqueArray(seg, { maxLength: 3 }), { nil: undefined }),
      sentAt: fc.option(fc.integer({ min: 0, max: 20 }).map((d) => T0 + d), { nil: undefined }),
      // Up to 12 h per step, so a run stays inside the 7 days of seen ids and tombstones: Redis
      // expires those by its own clock, which this test does not move.
      dt: fc.integer({ min: 0, max: 2 }).map((q) => q * 21_600_000),
    });
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const r = `s${run++}-`;
      const sqlite = new SqliteStore(tmpDb(), settings);
      const redis = await RedisStore.connect(inject('redisUrl'), { ...settings, prefix: `agree-t${Date.now()}-${r}:` });
      try {
        let now = Date.now();
        for (const o of steps) {
          now += o.dt;
          const anonymousId = `${r}${o.aid}`;
          if (o.kind === 'DELETE') {
            await Promise.all([sqlite.forget(anonymousId, now), redis.forget(anonymousId, now)]);
          } else {
            const forget = o.kind === 'forget beacon';
            const beacon: Beacon = {
              id: `${r}b${o.id}`, anonymousId, forget, changes: forget ? [] : o.changes,
              ...(o.sentAt === undefined && forget ? {} : { sentAt: o.sentAt ?? T0 }),
              ...(o.userId === undefined ? {} : { userId: o.userId }),
              ...(o.members && !forget ? { members: o.members } : {}),
            };
            const [x, y] = await Promise.all([sqlite.apply(beacon, now), redis.apply(beacon, now)]);
            expect(y).toBe(x);
          }
          expect(await snapshot(redis, r, now)).toEqual(await snapshot(sqlite, r, now));
        }
      } finally {
        await sqlite.close();
        await redis.close();
      }
    }), { numRuns: 60, seed: 77 });
  }, 120_000);
});
