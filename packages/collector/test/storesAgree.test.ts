// Differential test: random batch sequences (late, duplicated, members sets, forgets) applied to
// both stores (SQLite runs the pure planner, Redis its Lua mirror) give the same outcomes,
// profiles, counts and webhook bodies.
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
});
