import { afterEach, describe, expect, inject, it } from 'vitest';
import { createClient } from 'redis';
import { RedisStore } from '../src/index.js';
import type { StoreSettings } from '../src/index.js';
import { storeContract } from './storeContract.js';

let n = 0;
storeContract('redis', async (settings) => {
  const prefix = `t${process.pid}:${Date.now()}:${n++}:`;
  const open = (changed: Partial<StoreSettings> = {}) => RedisStore.connect(inject('redisUrl'), { ...settings, ...changed, prefix });
  return { store: await open(), reopen: open };
});

describe('redis webhook queue', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => { await Promise.all(closing.splice(0).map((c) => c())); });

  it('still takes, settles and purges jobs stored with an unpadded sequence number', async () => {
    const prefix = `legacy${process.pid}:${Date.now()}:`;
    const store = await RedisStore.connect(inject('redisUrl'), { ttlMs: 86_400_000, webhooks: true, prefix });
    const client = createClient({ url: inject('redisUrl') });
    await client.connect();
    closing.push(() => store.close(), () => client.close());
    const now = Date.now();
    const body = (seg: string) => JSON.stringify({ anonymousId: 'a', segment: seg, member: true, t: now });
    // The format before sequence numbers were padded: `<seq>|<createdAt>|<attempts>|<body>`.
    await client.zAdd(`${prefix}wh`, [
      { score: now, value: `10|${now}|2|${body('fresh')}` },
      { score: now, value: `9|${now - 86_400_000}|0|${body('stale')}` },
    ]);
    const jobs = await store.takeWebhooks(now, 10, 60_000);
    expect(jobs.map((j) => [j.body, j.createdAt, j.attempts]).sort()).toEqual([[body('fresh'), now, 2], [body('stale'), now - 86_400_000, 0]].sort());
    const fresh = jobs.find((j) => j.body === body('fresh'))!;
    await store.settleWebhook(fresh, now + 5);
    await store.purge(now);
    const again = await store.takeWebhooks(now + 120_000, 10, 60_000);
    expect(again.map((j) => [j.body, j.attempts])).toEqual([[body('fresh'), 3]]);
  });
  it('purge also finds expired profiles stored before the updatedAt index existed', async () => {
    const prefix = `unindexed${process.pid}:${Date.now()}:`;
    const url = inject('redisUrl');
    const now = Date.now();
    const t0 = now - 2 * 86_400_000;
    const long = await RedisStore.connect(url, { ttlMs: 90 * 86_400_000, webhooks: false, prefix });
    closing.push(() => long.close());
    const beacon = (id: string, anonymousId: string, at: number) => ({ id, anonymousId, forget: false, sentAt: at, changes: [{ segment: 'x', member: true, t: at }], userId: 'u' });
    await long.apply(beacon('b1', 'old', t0), t0);
    await long.apply(beacon('b2', 'live', now), now);
    // As an older version left them: no `pa` entries, no marker.
    const client = createClient({ url });
    await client.connect();
    closing.push(() => client.close());
    await client.del([`${prefix}pa`, `${prefix}pa:built`]);
    const short = await RedisStore.connect(url, { ttlMs: 86_400_000, webhooks: false, prefix });
    closing.push(() => short.close());
    await short.purge(now);
    expect(await client.exists(`${prefix}p:old`)).toBe(0);
    expect(await client.zScore(`${prefix}m:x`, 'old')).toBeNull();
    expect((await long.profile('live', now))?.members).toEqual(['x']);
    expect(await client.zScore(`${prefix}pa`, 'live')).toBe(now);
  });
});
