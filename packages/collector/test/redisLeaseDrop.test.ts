// A webhook job this collector leased and never delivered, or delivered and never settled, because
// the connection the take or the settle went out on was dropped (redisLink.ts), waited out its
// whole lease (60 s) before anyone sent it, though this process knew its delivery had not happened
// (or had, and was not recorded): a network blip delayed webhooks by a minute, and a delivered one
// was sent again after it.
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { RedisStore } from '../src/index.js';
import { batch, post, start } from './helpers.js';
import { freePort } from './freePort.js';
import { pausableRedis, redisPath, redisServer } from './redisServer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, sleep(ms).then(() => 'timeout' as const)]);
const STOPPED = /seglet: Redis at 127\.0\.0\.1:\d+ stopped answering/;

/** A webhook receiver: `answer` is given each request's position (0 first) and its response. */
async function receiver(answer: (n: number, res: ServerResponse) => void): Promise<{ url: string; bodies: string[]; close: () => void }> {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => { bodies.push(body); answer(bodies.length - 1, res); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies, close: () => { server.closeAllConnections(); server.close(); } };
}

describe('Redis: a lease left by a dropped connection', () => {
  const children: ChildProcess[] = [];
  // SIGCONT first: a stopped process ignores everything but SIGKILL.
  afterEach(() => { for (const c of children.splice(0)) { c.kill('SIGCONT'); c.kill('SIGKILL'); } });

  it('a take Redis ran but whose answer was lost with its connection: the job is delivered within seconds of Redis answering again, once', async () => {
    const { url: redisUrl, control } = await pausableRedis(children);
    await control.close();
    const redis = children[0] as ChildProcess;
    // The first attempt fails, so the job is due again (after 200-400 ms) while Redis is stopped.
    const hook = await receiver((n, res) => { res.statusCode = n === 0 ? 500 : 200; res.end(); });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url, collector } = await start({ redis: redisUrl, storeTimeoutMs: 300, webhookBackoffMs: 400, webhook: { url: hook.url, secret: 's' } });
    try {
      expect((await post(url, batch('a', [{ segment: 'due', member: true, t: Date.now() }]))).status).toBe(204);
      await expect.poll(() => hook.bodies.length, { timeout: 3_000, interval: 20 }).toBe(1);
      await sleep(100);
      // The takes sent meanwhile wait in Redis's socket buffer; the connection is dropped (a PING
      // unanswered for 2 s), and Redis runs them when it resumes, leasing the job to no one.
      redis.kill('SIGSTOP');
      await expect.poll(() => errors.mock.calls.flat().join(' '), { timeout: 5_000, interval: 50 }).toMatch(STOPPED);
      await sleep(500);
      redis.kill('SIGCONT');
      // Before: delivered again only once the lease ran out, a minute later.
      await expect.poll(() => hook.bodies.length, { timeout: 8_000, interval: 50 }).toBe(2);
      expect(JSON.parse(hook.bodies[1] as string)).toMatchObject({ anonymousId: 'a', segment: 'due', member: true });
      await sleep(1_500);
      expect(hook.bodies).toHaveLength(2);
    } finally {
      redis.kill('SIGCONT');
      await within(collector.close(), 5_000);
      hook.close();
      errors.mockRestore();
    }
  });

  /**
   * A collector (storeTimeoutMs 300) on a redis-server behind a proxy: the receiver makes the
   * path go silent (no reset) as the first delivery is answered `status`, so its settle is lost.
   */
  async function settleLost(status: number, run: (hook: { bodies: string[] }, queued: () => Promise<number>) => Promise<void>): Promise<void> {
    const port = await freePort();
    children.push(await redisServer(port));
    const path = await redisPath(port);
    const control = createClient({ url: `redis://127.0.0.1:${port}` });
    await control.connect();
    const hook = await receiver((n, res) => { if (n === 0) path.blackHole(); res.statusCode = n === 0 ? status : 200; res.end(); });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url, collector } = await start({ redis: path.url, storeTimeoutMs: 300, webhookBackoffMs: 400, webhook: { url: hook.url, secret: 's' } });
    try {
      expect((await post(url, batch('b', [{ segment: 'blip', member: true, t: Date.now() }]))).status).toBe(204);
      await expect.poll(() => hook.bodies.length, { timeout: 3_000, interval: 20 }).toBe(1);
      await expect.poll(() => errors.mock.calls.flat().join(' '), { timeout: 5_000, interval: 50 }).toMatch(STOPPED);
      await run(hook, () => control.zCard('seglet:wh'));
    } finally {
      await within(collector.close(), 5_000);
      await control.close();
      await path.close();
      hook.close();
      errors.mockRestore();
    }
  }

  it('a failed delivery whose settle was lost with its connection is retried on its backoff, not after the lease', async () => {
    await settleLost(503, async (hook) => {
      // Before: the job stayed leased for a minute.
      await expect.poll(() => hook.bodies.length, { timeout: 8_000, interval: 50 }).toBe(2);
      expect(hook.bodies[1]).toBe(hook.bodies[0]);
    });
  });

  it('a delivered job whose settle was lost with its connection is deleted once Redis answers, not delivered again', async () => {
    await settleLost(200, async (hook, queued) => {
      // Before: still leased, and POSTed again when the lease ran out.
      await expect.poll(queued, { timeout: 8_000, interval: 50 }).toBe(0);
      expect(hook.bodies).toHaveLength(1);
    });
  });

  it('a settle that comes after its lease ran out and another take leased the job leaves it to that take (so a settle sent again cannot take it from another collector)', async () => {
    const settings = { ttlMs: 86_400_000, webhooks: true, prefix: `late${process.pid}:${Date.now()}:` };
    const [a, b] = await Promise.all([RedisStore.connect(inject('redisUrl'), settings), RedisStore.connect(inject('redisUrl'), settings)]);
    try {
      const t0 = Date.now();
      await a.apply({ id: 'late', anonymousId: 'c', forget: false, sentAt: t0, changes: [{ segment: 'x', member: true, t: t0 }] }, t0);
      const [first] = await a.takeWebhooks(t0, 10, 1_000);
      const [second] = await b.takeWebhooks(t0 + 1_000, 10, 60_000);
      expect(second?.id).toBe(first?.id);
      // Before: deleted the job b was delivering, or queued a retry of it beside b's delivery.
      await a.settleWebhook(first!, null);
      await a.settleWebhook(first!, t0 + 1_001);
      expect(await a.takeWebhooks(t0 + 2_000, 10, 60_000)).toEqual([]);
      await b.settleWebhook(second!, t0 + 2_000);
      expect((await a.takeWebhooks(t0 + 2_000, 10, 60_000)).map((j) => j.attempts)).toEqual([1]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
