// A purge that failed (a Redis that stalled past storeTimeoutMs, a dropped connection) waited for
// the next hourly run, so expired profiles (userIds included) and webhook jobs stayed an hour
// longer for a blip of seconds. It is retried after a short backoff that doubles, one at a time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createCollector, RedisStore } from '../src/index.js';
import { TOKEN } from './helpers.js';
import { pausableRedis } from './redisServer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a failed purge', () => {
  const children: ChildProcess[] = [];
  // SIGCONT first: a stopped process ignores everything but SIGKILL.
  afterEach(() => { for (const c of children.splice(0)) { c.kill('SIGCONT'); c.kill('SIGKILL'); } });

  it('redis: is tried again after purgeRetryMs, doubling, never two at once, until one succeeds; close() stops the retries', async () => {
    const { url, control } = await pausableRedis(children);
    const redis = children[0] as ChildProcess;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = await RedisStore.connect(url, { ttlMs: 86_400_000, webhooks: false, commandTimeoutMs: 300 });
    const day = 86_400_000;
    await store.apply({ id: 'old', anonymousId: 'gone', forget: false, changes: [{ segment: 's', member: true, t: Date.now() - 2 * day }] }, Date.now() - 2 * day);
    expect(await control.exists('seglet:p:gone')).toBe(1);
    const purge = store.purge.bind(store);
    let calls = 0;
    let running = 0;
    let most = 0;
    vi.spyOn(store, 'purge').mockImplementation(async (now, signal) => {
      calls++;
      most = Math.max(most, ++running);
      try { await purge(now, signal); } finally { running--; }
    });
    redis.kill('SIGSTOP');
    const collector = await createCollector({ token: TOKEN, allowOrigins: [], store, port: 0, storeTimeoutMs: 300, purgeRetryMs: 200 });
    try {
      await collector.listen();
      await sleep(2_500);
      expect(errors.mock.calls.flat().join(' ')).toMatch(/seglet: Redis did not answer within 300 ms/);
      // Before: one purge, the next an hour later. A tight loop would have run dozens by now.
      expect(calls).toBeGreaterThanOrEqual(3);
      expect(calls).toBeLessThanOrEqual(5);
      redis.kill('SIGCONT');
      await expect.poll(() => control.exists('seglet:p:gone'), { timeout: 10_000, interval: 100 }).toBe(0);
      // Succeeded: the next one is an hour away again.
      const after = calls;
      await sleep(1_000);
      expect(calls).toBe(after);
      expect(most).toBe(1);
    } finally {
      redis.kill('SIGCONT');
      await collector.close();
      await control.close();
      errors.mockRestore();
    }
  });

  it('redis: close() while a retry is pending cancels it at once', async () => {
    const { url, control } = await pausableRedis(children);
    await control.close();
    const redis = children[0] as ChildProcess;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = await RedisStore.connect(url, { ttlMs: 86_400_000, webhooks: false, commandTimeoutMs: 300 });
    const purge = vi.spyOn(store, 'purge');
    redis.kill('SIGSTOP');
    const collector = await createCollector({ token: TOKEN, allowOrigins: [], store, port: 0, storeTimeoutMs: 300, purgeRetryMs: 500 });
    try {
      await collector.listen();
      // The first purge has failed; the retry waits its 500 ms.
      await sleep(400);
      redis.kill('SIGCONT');
      const closing = Date.now();
      await collector.close();
      expect(Date.now() - closing).toBeLessThan(3_000);
      const calls = purge.mock.calls.length;
      await sleep(800);
      expect(purge.mock.calls.length).toBe(calls);
    } finally {
      redis.kill('SIGCONT');
      errors.mockRestore();
    }
  });
});
