// A Redis that is unreachable, at start or later, must fail fast: a collector that cannot open
// its store exits (README), and a beacon is answered 500 (the browser retries 5xx) rather than
// held open until Redis comes back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createCollector, RedisStore } from '../src/index.js';
import { batch, post, read, start, TOKEN } from './helpers.js';
import { freePort } from './freePort.js';
import { pausableRedis, redisServer, wedgedRedis } from './redisServer.js';



const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('Redis outage', () => {
  const children: ChildProcess[] = [];
  afterEach(() => { for (const c of children.splice(0)) c.kill('SIGKILL'); });

  it('createCollector rejects with a seglet: error when Redis cannot be reached', async () => {
    const port = await freePort();
    const opened = createCollector({ token: TOKEN, allowOrigins: [], redis: `redis://127.0.0.1:${port}` }).then(() => 'opened', (e: Error) => e.message);
    const outcome = await within(opened, 5_000);
    expect(outcome).toMatch(/^seglet: cannot connect to Redis at 127\.0\.0\.1:\d+/);
  });

  it('RedisStore.connect rejects with a seglet: error when Redis accepts and never answers, and lets go of the socket', async () => {
    const wedged = await wedgedRedis();
    try {
      const errors: unknown[] = [];
      const started = Date.now();
      const opened = RedisStore.connect(wedged.url, { ttlMs: 86_400_000, webhooks: false, startTimeoutMs: 300, onError: (e) => errors.push(e) }).then(() => 'opened', (e: Error) => e.message);
      expect(await within(opened, 5_000)).toBe(`seglet: Redis at ${wedged.host} did not answer within 300 ms`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(await within(wedged.released, 2_000)).toBeUndefined();
      // What the client raised while being let go is not reported as if Redis had failed later.
      expect(errors).toEqual([]);
    } finally {
      await wedged.close();
    }
  });

  it('a Redis that stops answering fails a beacon after storeTimeoutMs (500, which the browser retries) instead of holding it open; the retry is acknowledged and applied once', async () => {
    const { url: redisUrl, control } = await pausableRedis(children);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url, collector } = await start({ redis: redisUrl, storeTimeoutMs: 300 });
    const held = batch('stalled', [{ segment: 'late', member: true, t: Date.now() }]);
    try {
      expect((await post(url, batch('before', []))).status).toBe(204);
      await control.sendCommand(['CLIENT', 'PAUSE', '20000', 'WRITE']);
      const sent = Date.now();
      const answer = await within(post(url, held), 3_000);
      expect(answer === 'timeout' ? 'timeout' : answer.status).toBe(500);
      expect(Date.now() - sent).toBeLessThan(2_000);
      // Held by Redis, it goes through once Redis answers again; the browser's retry finds it.
      await control.sendCommand(['CLIENT', 'UNPAUSE']);
      expect((await post(url, held)).status).toBe(204);
      const counts = (await read(url, '/v1/segments')).json() as { segments: { id: string; members: number; days: { enters: number }[] }[] };
      const late = counts.segments.find((s) => s.id === 'late');
      expect(late?.members).toBe(1);
      expect(late?.days.reduce((n, d) => n + d.enters, 0)).toBe(1);
      // The read routes too: paused for everything, a profile read is answered 500 in time (a
      // pause of everything holds this client's UNPAUSE too: it ends by itself after a second).
      await control.sendCommand(['CLIENT', 'PAUSE', '1000', 'ALL']);
      const asked = Date.now();
      const profile = await within(read(url, '/v1/profiles/stalled'), 3_000);
      expect(profile === 'timeout' ? 'timeout' : profile.status).toBe(500);
      expect(Date.now() - asked).toBeLessThan(2_000);
      expect(errors.mock.calls.flat().join(' ')).toMatch(/the store did not answer within 300 ms/);
    } finally {
      await control.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => {});
      await control.close();
      await collector.close();
      errors.mockRestore();
    }
  });

  it('close() gives a Redis that stopped answering storeTimeoutMs, then lets go of it instead of waiting for it', async () => {
    const { url: redisUrl, control } = await pausableRedis(children);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { url, collector } = await start({ redis: redisUrl, storeTimeoutMs: 300 });
    try {
      expect((await post(url, batch('before', []))).status).toBe(204);
      await control.sendCommand(['CLIENT', 'PAUSE', '20000', 'WRITE']);
      // Answered 500 in time, but still in flight at Redis, as is the purge close() waits for.
      expect((await post(url, batch('stalled', [{ segment: 'late', member: true, t: Date.now() }]))).status).toBe(500);
      const asked = Date.now();
      expect(await within(collector.close(), 8_000)).not.toBe('timeout');
      expect(Date.now() - asked).toBeLessThan(4_000);
      expect(errors.mock.calls.flat().join(' ')).toMatch(/closing the store anyway/);
    } finally {
      await control.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => {});
      await control.close();
      await collector.close();
      errors.mockRestore();
    }
  });

  it('a beacon is answered 500 while Redis is down, 204 once it is back; close does not hang', async () => {
    const port = await freePort();
    children.push(await redisServer(port));
    const { url, collector } = await start({ redis: `redis://127.0.0.1:${port}` });
    try {
      expect((await post(url, batch('up', []))).status).toBe(204);
      children[0]?.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      const down = await within(post(url, batch('down', [])), 3_000);
      expect(down === 'timeout' ? 'timeout' : down.status).toBe(500);
      children.push(await redisServer(port));
      await expect.poll(async () => (await post(url, batch('back', []))).status, { timeout: 10_000, interval: 200 }).toBe(204);
      children.pop()?.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      expect(await within(collector.close(), 3_000)).not.toBe('timeout');
    }
  });
});
