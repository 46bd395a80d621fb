// A connection to Redis that went silently dead (a stopped process, a vanished or failed-over
// host, a dropped NAT entry: no reset) was kept for good: node-redis reconnects only once the
// kernel gives up on TCP, about 15 minutes, or never while something still acknowledges. Every
// beacon was answered 500 meanwhile, though a new connection would have worked at once, and every
// command sent to it stayed queued in the client, so memory grew with the stall.
// A reconnection node-redis made by itself (after a reset) had no deadline on its handshake: one
// accepted and never answered (a stopped Redis's backlog, a black-holing proxy) was waited on for
// good, and every beacon answered 500 even once Redis answered at the address again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { RedisStore } from '../src/index.js';
import { batch, post, start } from './helpers.js';
import { freePort } from './freePort.js';
import { redisPath, redisServer } from './redisServer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, sleep(ms).then(() => 'timeout' as const)]);
const beacon = (aid: string) => ({ id: `b-${aid}-${Math.random()}`, anonymousId: aid, forget: false, changes: [{ segment: 'dead', member: true, t: Date.now() }] });

describe('Redis dead connection', () => {
  const children: ChildProcess[] = [];
  // SIGCONT first: a stopped process ignores everything but SIGKILL.
  afterEach(() => { for (const c of children.splice(0)) { c.kill('SIGCONT'); c.kill('SIGKILL'); } });

  /**
   * A collector (storeTimeoutMs 300) on a redis-server reached through a proxy the test steers:
   * `run` gets its URL, the proxy and console.error's calls (where the collector reports).
   */
  async function throughProxy(run: (url: string, path: Awaited<ReturnType<typeof redisPath>>, errors: () => string[]) => Promise<void>): Promise<void> {
    const port = await freePort();
    children.push(await redisServer(port));
    const path = await redisPath(port);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url, collector } = await start({ redis: path.url, storeTimeoutMs: 300 });
    try {
      await run(url, path, () => errors.mock.calls.flat().map(String));
    } finally {
      await within(collector.close(), 5_000);
      await path.close();
      errors.mockRestore();
    }
  }

  it('a stopped Redis: what was queued on its connection fails, the drop is reported once, calls fail at once meanwhile, and a fresh redis-server on the same port is used (scripts reloaded)', async () => {
    const port = await freePort();
    const first = await redisServer(port);
    children.push(first);
    const errors: unknown[] = [];
    const store = await RedisStore.connect(`redis://127.0.0.1:${port}`, { ttlMs: 86_400_000, webhooks: false, commandTimeoutMs: 300, onError: (e) => errors.push(e) });
    try {
      expect(await store.apply(beacon('before'), Date.now())).toBeTruthy();
      first.kill('SIGSTOP');
      const held = store.apply(beacon('held'), Date.now()).then(() => 'applied', (e: Error) => e.message);
      // Before: still queued when Redis comes back (here: never, as on a dead path).
      expect(await within(held, 5_000)).not.toBe('timeout');
      const reports = () => errors.map((e) => String((e as Error).message ?? e)).filter((m) => /^seglet: Redis at 127\.0\.0\.1:\d+ stopped answering/.test(m));
      expect(reports()).toHaveLength(1);
      // No connection that answers: a call fails at once instead of queueing.
      const asked = Date.now();
      expect(await within(store.apply(beacon('meanwhile'), Date.now()).then(() => 'applied', () => 'failed'), 3_000)).toBe('failed');
      expect(Date.now() - asked).toBeLessThan(200);
      // Longer than several attempts: still one report, not one per attempt.
      await sleep(1_500);
      expect(reports()).toHaveLength(1);
      first.kill('SIGCONT');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      children.push(await redisServer(port));
      // The fresh server has no scripts: the store loads them again.
      await expect.poll(() => store.apply(beacon('after'), Date.now()).then(() => 'applied', (e: Error) => e.message), { timeout: 5_000, interval: 100 }).toBe('applied');
      expect(await store.profile('after', Date.now())).toMatchObject({ members: ['dead'] });
    } finally {
      await within(store.close(), 5_000);
    }
  });

  it('a connection gone silent without a reset (a vanished host) is replaced by a new one to the same address: beacons are acknowledged again within seconds', async () => {
    await throughProxy(async (url, path, errors) => {
      expect((await post(url, batch('before', []))).status).toBe(204);
      path.blackHole();
      expect((await post(url, batch('lost', []))).status).toBe(500);
      await expect.poll(async () => (await post(url, batch('after', []))).status, { timeout: 6_000, interval: 100 }).toBe(204);
      expect(errors().join(' ')).toMatch(/seglet: Redis at 127\.0\.0\.1:\d+ stopped answering/);
    });
  });

  it('a reconnection whose handshake is never answered (accepted, then silent) is dropped and replaced: beacons are acknowledged again once Redis answers at the address', async () => {
    await throughProxy(async (url, path, errors) => {
      expect((await post(url, batch('before', []))).status).toBe(204);
      path.hold(true);
      path.reset();
      // node-redis reconnects at once, into a connection that is accepted and never answered.
      await expect.poll(() => path.held(), { timeout: 2_000, interval: 20 }).toBeGreaterThan(0);
      expect((await post(url, batch('lost', []))).status).toBe(500);
      path.hold(false);
      // Before: the client waited on that handshake for good, and every beacon was answered 500.
      await expect.poll(async () => (await post(url, batch('after', []))).status, { timeout: 6_000, interval: 100 }).toBe(204);
      const reports = errors().filter((m) => /^seglet: Redis at 127\.0\.0\.1:\d+ accepted a new connection and did not answer its handshake within 2000 ms; dropping/.test(m));
      expect(reports).toHaveLength(1);
    });
  });
});
