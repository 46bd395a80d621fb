// A Redis that accepts commands and stops answering (CLIENT PAUSE, a stopped process, a silent
// network path) must not hold the background work: the purge and the webhook sender each waited
// on their command until Redis answered, so nothing else was attempted meanwhile, and nothing said.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisStore } from '../src/index.js';
import { batch, post, start } from './helpers.js';
import { pausableRedis } from './redisServer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, sleep(ms).then(() => 'timeout' as const)]);

describe('Redis stall', () => {
  const children: ChildProcess[] = [];
  // SIGCONT first: a stopped process ignores everything but SIGKILL, and SIGCONT is harmless on a running one.
  afterEach(() => { for (const c of children.splice(0)) { c.kill('SIGCONT'); c.kill('SIGKILL'); } });

  it('the webhook sender reports a stalled Redis after storeTimeoutMs and keeps polling; the job due meanwhile is delivered once Redis answers', async () => {
    const { url: redisUrl, control } = await pausableRedis(children);
    await control.close();
    const redis = children[0] as ChildProcess;
    const bodies: string[] = [];
    let refuse = true;
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      // The first attempt fails, so the job is due again (after 200-400 ms) while Redis is stopped.
      req.on('end', () => { bodies.push(body); res.statusCode = refuse ? 500 : 200; refuse = false; res.end(); });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url, collector } = await start({
      redis: redisUrl, storeTimeoutMs: 300, webhookBackoffMs: 400,
      webhook: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`, secret: 's' },
    });
    try {
      expect((await post(url, batch('a', [{ segment: 'due', member: true, t: Date.now() }]))).status).toBe(204);
      await expect.poll(() => bodies.length, { timeout: 3_000, interval: 20 }).toBe(1);
      await sleep(50);
      redis.kill('SIGSTOP');
      await sleep(1_500);
      expect(errors.mock.calls.flat().join(' ')).toMatch(/seglet: Redis did not answer within 300 ms/);
      expect(bodies).toHaveLength(1);
      redis.kill('SIGCONT');
      // Not left leased (a minute) by the round that gave up on it: delivered on the next rounds.
      await expect.poll(() => bodies.length, { timeout: 2_000, interval: 20 }).toBe(2);
      expect(JSON.parse(bodies[1] as string)).toMatchObject({ anonymousId: 'a', segment: 'due', member: true });
    } finally {
      redis.kill('SIGCONT');
      await collector.close();
      hook.close();
      errors.mockRestore();
    }
  });

  it('a purge fails with a seglet: error after commandTimeoutMs while Redis is stopped, runs again once it answers, and close() does not wait for it', async () => {
    const { url: redisUrl, control } = await pausableRedis(children);
    await control.close();
    const redis = children[0] as ChildProcess;
    const store = await RedisStore.connect(redisUrl, { ttlMs: 86_400_000, webhooks: true, commandTimeoutMs: 300 });
    try {
      redis.kill('SIGSTOP');
      const asked = Date.now();
      const stalled = await within(store.purge(Date.now()).then(() => 'done', (e: Error) => e.message), 3_000);
      expect(stalled).toBe('seglet: Redis did not answer within 300 ms');
      expect(Date.now() - asked).toBeLessThan(1_500);
      redis.kill('SIGCONT');
      expect(await within(store.purge(Date.now()).then(() => 'done'), 3_000)).toBe('done');
      redis.kill('SIGSTOP');
      const closing = Date.now();
      expect(await within(store.close(), 5_000)).not.toBe('timeout');
      expect(Date.now() - closing).toBeLessThan(3_000);
    } finally {
      redis.kill('SIGCONT');
      await store.close().catch(() => {});
    }
  });
});
