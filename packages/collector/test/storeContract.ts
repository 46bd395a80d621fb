// The behaviour every store adapter must have; sqlite.test.ts and redis.test.ts run it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Beacon, Store, StoreSettings } from '../src/index.js';

const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
let n = 0;
const id = () => `c${Date.now().toString(36)}${n++}`;

function b(anonymousId: string, changes: [string, boolean, number][], extra: Partial<Beacon> = {}): Beacon {
  return { id: id(), anonymousId, forget: false, sentAt: 1, changes: changes.map(([segment, member, t]) => ({ segment, member, t })), ...extra };
}

/**
 * Registers the store contract suite; `open` returns a fresh, empty store and `reopen`, which opens
 * the same data again (with some settings changed, as a restarted collector may have them).
 */
export function storeContract(name: string, open: (settings: StoreSettings) => Promise<{ store: Store; reopen: (changed?: Partial<StoreSettings>) => Promise<Store> }>): void {
  describe(`${name} store contract`, () => {
    const opened: Store[] = [];
    const make = async (settings: Partial<StoreSettings> = {}) => {
      const s = await open({ ttlMs: 90 * DAY, webhooks: false, ...settings });
      opened.push(s.store);
      const reopen = async (changed: Partial<StoreSettings> = {}) => {
        const again = await s.reopen(changed);
        opened.push(again);
        return again;
      };
      return { store: s.store, reopen };
    };
    afterEach(async () => { await Promise.all(opened.splice(0).map((s) => s.close())); });
    const now = Date.now();
    // Changes happen earlier today (up to an hour before now): the day counts below expect them on
    // today's row, which `now - 1 h` misses in the first hour of a UTC day.
    const T = Math.max(now - 3600_000, Math.floor(now / DAY) * DAY);
    const count = async (s: Store, seg: string) => (await s.segments(2, now)).find((x) => x.id === seg);

    it('applies a batch and reports the profile with server updatedAt', async () => {
      const { store } = await make();
      expect(await store.apply(b('a', [['x', true, T], ['y', true, T]], { userId: 'u1' }), now)).toBe('applied');
      expect(await store.profile('a', now)).toEqual({ members: ['x', 'y'], updatedAt: now, userId: 'u1' });
      expect(await store.profile('nobody', now)).toBeNull();
    });

    it('de-duplicates by batch id, also when the duplicate arrives concurrently', async () => {
      const { store } = await make();
      const one = b('a', [['x', true, T]]);
      const outcomes = await Promise.all([store.apply(one, now), store.apply({ ...one }, now)]);
      expect(outcomes.sort()).toEqual(['applied', 'duplicate']);
      expect(await store.apply({ ...one, changes: [{ segment: 'x', member: false, t: T + 5 }] }, now)).toBe('duplicate');
      expect((await store.profile('a', now))?.members).toEqual(['x']);
      expect((await count(store, 'x'))?.days[1]?.enters).toBe(1);
    });

    it('latest t wins per profile and segment; an older batch arriving late changes nothing', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T + 10]]), now);
      await store.apply(b('a', [['x', false, T + 5]]), now);
      expect((await store.profile('a', now))?.members).toEqual(['x']);
      await store.apply(b('a', [['x', false, T + 10]]), now);
      expect((await store.profile('a', now))?.members).toEqual(['x']);
      await store.apply(b('a', [['x', false, T + 11], ['x', true, T + 11], ['x', false, T + 11]]), now);
      expect((await store.profile('a', now))?.members).toEqual([]);
      const c = await count(store, 'x');
      expect(c?.members).toBe(0);
      expect(c?.days[1]).toMatchObject({ enters: 1, exits: 1 });
    });

    it('at an equal t, a stored change stands against a later change but not against a members set', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T + 10]]), now);
      await store.apply(b('a', [['x', false, T + 10]]), now);
      expect((await store.profile('a', now))?.members).toEqual(['x']);
      // The set is the whole profile as of its time: what it leaves out at that time has exited.
      await store.apply(b('a', [], { members: [], sentAt: T + 10 }), now);
      expect((await store.profile('a', now))?.members).toEqual([]);
    });

    it('counts transitions of the stored set: a repeated enter is not a new one', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T]]), now);
      await store.apply(b('a', [['x', true, T + 1]]), now);
      await store.apply(b('b', [['x', false, T]]), now);
      await store.apply(b('b', [['x', true, T + 2]]), now);
      const c = await count(store, 'x');
      expect(c?.members).toBe(2);
      expect(c?.days[1]).toEqual({ day: day(now), enters: 2, exits: 0 });
    });

    it('members is the profile set; older sets and late changes cannot undo a newer set', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T], ['y', true, T]], { members: ['x', 'y'] }), now);
      await store.apply(b('a', [['z', true, T + 100]], { members: ['z', 'x'] }), now);
      expect((await store.profile('a', now))?.members).toEqual(['x', 'z']);
      // Late: an older batch saying y entered and w entered at T + 50 (before the set at T + 100).
      await store.apply(b('a', [['y', true, T + 50], ['w', true, T + 50]], { members: ['w', 'y'] }), now);
      expect((await store.profile('a', now))?.members).toEqual(['x', 'z']);
      // A members-only batch (no changes) uses sentAt.
      await store.apply(b('a', [], { members: ['x'], sentAt: T + 200 }), now);
      expect((await store.profile('a', now))?.members).toEqual(['x']);
      expect((await count(store, 'y'))?.days[1]).toMatchObject({ enters: 1, exits: 1 });
      expect((await count(store, 'z'))?.days[1]).toMatchObject({ enters: 1, exits: 1 });
      expect((await count(store, 'w'))?.members ?? 0).toBe(0);
    });

    it('counts days of t clamped to receive time +/- 24 h', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, now - 10 * DAY]]), now);
      await store.apply(b('b', [['x', true, now + DAY - 1]]), now);
      const s = (await store.segments(3, now + DAY)).find((x) => x.id === 'x');
      expect(s?.days.map((d) => d.day)).toEqual([day(now - DAY), day(now), day(now + DAY)]);
      expect(s?.days[0]?.enters).toBe(1);
      expect(s?.days[2]?.enters).toBe(1);
    });

    it('forget removes the profile and userId, lowers counts, keeps history, and drops late batches', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T]], { userId: 'u' }), now);
      await store.apply(b('b', [['x', true, T]]), now);
      await store.forget('a', now);
      expect(await store.profile('a', now)).toBeNull();
      const c = await count(store, 'x');
      expect(c?.members).toBe(1);
      expect(c?.days[1]?.enters).toBe(2);
      expect(await store.apply(b('a', [['x', true, T + 5]]), now)).toBe('dropped');
      expect(await store.profile('a', now)).toBeNull();
      const f = b('b', [], { forget: true });
      expect(await store.apply(f, now)).toBe('applied');
      expect(await store.apply(f, now)).toBe('duplicate');
      expect(await store.profile('b', now)).toBeNull();
      expect((await count(store, 'x'))?.members).toBe(0);
      await store.forget('never-seen', now);
    });

    it('keeps userId until a batch brings another', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T]], { userId: 'u1' }), now);
      await store.apply(b('a', [['y', true, T]]), now);
      expect((await store.profile('a', now))?.userId).toBe('u1');
      await store.apply(b('a', [], { userId: 'u2' }), now);
      expect((await store.profile('a', now))?.userId).toBe('u2');
    });

    it('expires profiles ttl after updatedAt; a returning profile starts empty', async () => {
      const { store } = await make({ ttlMs: 400 });
      const t0 = Date.now();
      await store.apply(b('a', [['x', true, t0 - 1000]]), t0);
      expect((await store.profile('a', t0))?.members).toEqual(['x']);
      await new Promise((r) => setTimeout(r, 600));
      const t1 = Date.now();
      expect(await store.profile('a', t1)).toBeNull();
      expect((await store.segments(1, t1)).find((s) => s.id === 'x')?.members).toBe(0);
      await store.apply(b('a', [['x', true, t0 - 1000]]), t1);
      expect((await store.profile('a', t1))?.members).toEqual(['x']);
      expect((await store.segments(1, t1)).find((s) => s.id === 'x')?.days[0]?.enters).toBe(2);
      await store.purge(Date.now());
    });

    it('a profile expired under a shorter ttl starts empty: its memberships and userId do not come back', async () => {
      // Written under 90 days, two days ago; the collector now runs with --ttl-days 1.
      const { store, reopen } = await make();
      const t0 = now - 2 * DAY;
      await store.apply(b('e', [['x', true, t0 - 1000]], { userId: 'old' }), t0);
      await store.close();
      const short = await reopen({ ttlMs: DAY });
      expect(await short.profile('e', now)).toBeNull();
      await short.apply(b('e', [['z', true, T]]), now);
      expect(await short.profile('e', now)).toEqual({ members: ['z'], updatedAt: now });
      expect((await count(short, 'x'))?.members ?? 0).toBe(0);
      await short.close();
      // Seen again with the long ttl: nothing of the expired profile was kept or is counted.
      const long = await reopen();
      expect(await long.profile('e', now)).toEqual({ members: ['z'], updatedAt: now });
      expect((await count(long, 'x'))?.members ?? 0).toBe(0);
      expect((await count(long, 'z'))?.members).toBe(1);
    });

    it('purge deletes profiles expired under the current ttl, also ones written under a longer one', async () => {
      const { store, reopen } = await make();
      const t0 = now - 2 * DAY;
      await store.apply(b('e', [['x', true, t0 - 1000]], { userId: 'old' }), t0);
      await store.apply(b('f', [['x', true, T]]), now);
      await store.close();
      const short = await reopen({ ttlMs: DAY });
      await short.purge(now);
      await short.close();
      const long = await reopen();
      expect(await long.profile('e', now)).toBeNull();
      expect((await long.profile('f', now))?.members).toEqual(['x']);
      expect((await count(long, 'x'))?.members).toBe(1);
    });

    it('purge deletes webhook jobs created 24 h ago or earlier', async () => {
      const { store } = await make({ webhooks: true });
      await store.apply(b('a', [['x', true, T]]), now);
      await store.apply(b('b', [['x', true, T]]), now + 1);
      const later = now + 24 * 3600_000;
      await store.purge(later);
      const jobs = await store.takeWebhooks(later, 10, 60_000);
      expect(jobs.map((j) => (JSON.parse(j.body) as { anonymousId: string }).anonymousId)).toEqual(['b']);
    });

    it('hands out one profile\'s jobs in the order they were queued, also past the ninth', async () => {
      const { store } = await make({ webhooks: true });
      const enters = Array.from({ length: 9 }, (_, i): [string, boolean, number] => [`s${i + 1}`, true, T]);
      await store.apply(b('a', enters), now);
      await store.apply(b('a', [['s9', false, T + 1]]), now);
      const jobs = await store.takeWebhooks(now, 100, 60_000);
      const seen = jobs.map((j) => { const o = JSON.parse(j.body) as { segment: string; member: boolean }; return `${o.segment}:${o.member}`; });
      expect(seen).toEqual([...enters.map(([s]) => `${s}:true`), 's9:false']);
    });

    it('queues one webhook job per transition, leased and settled', async () => {
      const { store } = await make({ webhooks: true });
      await store.apply(b('a', [['x', true, T], ['x', true, T + 1], ['y', false, T]], { userId: 'u/1' }), now);
      const jobs = await store.takeWebhooks(now, 10, 60_000);
      expect(jobs).toHaveLength(1);
      expect(JSON.parse(jobs[0]!.body)).toEqual({ anonymousId: 'a', userId: 'u/1', segment: 'x', member: true, t: T });
      expect(jobs[0]!.createdAt).toBe(now);
      expect(await store.takeWebhooks(now, 10, 60_000)).toHaveLength(0);
      await store.settleWebhook(jobs[0]!, now + 5);
      expect(await store.takeWebhooks(now, 10, 60_000)).toHaveLength(0);
      const again = await store.takeWebhooks(now + 5, 10, 60_000);
      expect(again.map((j) => j.attempts)).toEqual([1]);
      expect(again[0]!.body).toBe(jobs[0]!.body);
      await store.settleWebhook(again[0]!, null);
      expect(await store.takeWebhooks(now + 120_000, 10, 60_000)).toHaveLength(0);
    });

    it('queues nothing when webhooks are off', async () => {
      const { store } = await make();
      await store.apply(b('a', [['x', true, T]]), now);
      expect(await store.takeWebhooks(now + 1, 10, 1000)).toHaveLength(0);
    });

    it('an applied batch is there after reopening', async () => {
      const { store, reopen } = await make();
      await store.apply(b('a', [['x', true, T]]), now);
      await store.close();
      const again = await reopen();
      expect((await again.profile('a', now))?.members).toEqual(['x']);
    });

    it('lists segments sorted by id with a dense day window', async () => {
      const { store } = await make();
      await store.apply(b('a', [['zz', true, T], ['aa', true, T], ['mm', false, T]]), now);
      const s = await store.segments(5, now);
      expect(s.map((x) => x.id)).toEqual(['aa', 'zz']);
      expect(s[0]?.days).toHaveLength(5);
      expect(s[0]?.days[4]).toEqual({ day: day(now), enters: 1, exits: 0 });
    });
  });
}
