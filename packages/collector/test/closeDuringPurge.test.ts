// close() while a purge is still running (the one started by listen(), or an hourly one): the
// purge must be stopped or finished before the store is closed, so nothing is logged or rejected
// after close() resolves. A private redis-server is paused for writes (CLIENT PAUSE WRITE) so the
// purge is held at its first write, deterministically in flight when close() is called.
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { createCollector, RedisStore, SqliteStore } from '../src/index.js';
import type { Store } from '../src/index.js';
import { ORIGIN, TOKEN, exited, spawnCli, tmpDb } from './helpers.js';
import { blockedClients, pausableRedis } from './redisServer.js';


/** Wraps `store.purge` and `store.close` (still the real ones) to see what runs when. */
function watch(store: Store, onClose: () => Promise<unknown> = async () => {}) {
  const purges: { done: boolean; settled: Promise<unknown> }[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  let pendingAtClose: number | undefined;
  const purge = store.purge.bind(store);
  const close = store.close.bind(store);
  vi.spyOn(store, 'purge').mockImplementation((now: number, signal?: AbortSignal) => {
    signals.push(signal);
    const p = purge(now, signal);
    const entry = { done: false, settled: p.then(() => {}, () => {}) };
    void entry.settled.then(() => { entry.done = true; });
    purges.push(entry);
    return p;
  });
  vi.spyOn(store, 'close').mockImplementation(async () => {
    pendingAtClose ??= purges.filter((p) => !p.done).length;
    const closed = close();
    await onClose();
    await closed;
  });
  return { purges, signals, pendingAtClose: () => pendingAtClose };
}

describe('close() during a purge', () => {
  const children: ChildProcess[] = [];
  const workers: Worker[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await Promise.all(workers.splice(0).map((w) => w.terminate()));
  });

  it('redis: waits for (or stops) the purge in flight; nothing is logged after close() resolves', async () => {
    const { url, control } = await pausableRedis(children);
    try {
      const store = await RedisStore.connect(url, { ttlMs: 86_400_000, webhooks: false });
      // Released when the store is closed (after close() there, so any later command fails) or
      // when the collector tells the purge to stop, whichever comes first.
      const unpause = () => control.sendCommand(['CLIENT', 'UNPAUSE']);
      const w = watch(store, unpause);
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      await control.sendCommand(['CLIENT', 'PAUSE', '20000', 'WRITE']);
      const collector = await createCollector({ token: TOKEN, allowOrigins: [], store, port: 0 });
      await collector.listen();
      expect(w.purges).toHaveLength(1);
      w.signals[0]?.addEventListener('abort', () => { void unpause(); });
      // The purge has reached its first write and is held there by the pause.
      await expect.poll(() => blockedClients(control), { timeout: 5_000, interval: 20 }).toBe('1');
      expect(w.purges[0]?.done).toBe(false);
      await collector.close();
      const doneAtClose = w.purges.map((p) => p.done);
      await Promise.all(w.purges.map((p) => p.settled));
      await new Promise((r) => setTimeout(r, 50));
      expect(errors.mock.calls).toEqual([]);
      expect(w.pendingAtClose()).toBe(0);
      expect(doneAtClose).toEqual([true]);
      // It stopped at its next step: no purge script ran after the held write.
      expect(await control.info('commandstats')).not.toMatch(/cmdstat_evalsha:/);
    } finally {
      await control.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => {});
      await control.close();
    }
  });

  it('CLI on Redis: SIGTERM while the start-up purge is held still exits 0 within 5 s, logging no error', async () => {
    const { url, control } = await pausableRedis(children);
    try {
      await control.sendCommand(['CLIENT', 'PAUSE', '20000', 'WRITE']);
      const { child, output } = await spawnCli(inject('cliPath'), ['--port', '0', '--allow-origin', ORIGIN, '--token', TOKEN, '--redis', url]);
      children.push(child);
      await expect.poll(() => blockedClients(control), { timeout: 5_000, interval: 20 }).toBe('1');
      const started = Date.now();
      child.kill('SIGTERM');
      // Redis answers again a little later, as a slow one would.
      setTimeout(() => { control.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => {}); }, 300);
      expect(await exited(child)).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(output()).not.toMatch(/error/i);
    } finally {
      await control.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => {});
      await control.close();
    }
  });

  it('sqlite in a worker thread: close() right after listen() finishes the purge first, logs nothing', async () => {
    const workerFile = join(dirname(inject('cliPath')), 'sqliteWorker.js');
    const file = tmpDb();
    const settings = { ttlMs: 86_400_000, webhooks: false };
    const worker = new Worker(workerFile, { workerData: { file, settings } });
    workers.push(worker);
    const ready = await new Promise<{ ready?: boolean; error?: string }>((resolve) => worker.once('message', resolve));
    expect(ready).toEqual({ ready: true });
    const store = new SqliteStore(file, settings, worker);
    const w = watch(store);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const collector = await createCollector({ token: TOKEN, allowOrigins: [], store, port: 0 });
    await collector.listen();
    expect(w.purges).toHaveLength(1);
    await collector.close();
    await Promise.all(w.purges.map((p) => p.settled));
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.mock.calls).toEqual([]);
    expect(w.pendingAtClose()).toBe(0);
  });

  it('sqlite on this thread: close() right after listen() logs nothing', async () => {
    const store = new SqliteStore(tmpDb(), { ttlMs: 86_400_000, webhooks: false });
    const w = watch(store);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const collector = await createCollector({ token: TOKEN, allowOrigins: [], store, port: 0 });
    await collector.listen();
    await collector.close();
    await Promise.all(w.purges.map((p) => p.settled));
    expect(w.pendingAtClose()).toBe(0);
    expect(errors.mock.calls).toEqual([]);
  });

  it('close() while listen() is still binding: nothing runs on the closed store, nothing stays listening', async () => {
    const store = new SqliteStore(tmpDb(), { ttlMs: 86_400_000, webhooks: false });
    const w = watch(store);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const collector = await createCollector({ token: TOKEN, allowOrigins: [], store, port: 0 });
    const listening = collector.listen().then((u) => u, (e: Error) => e);
    await collector.close();
    const outcome = await listening;
    await new Promise((r) => setTimeout(r, 50));
    expect(w.purges.filter((p) => !p.done)).toEqual([]);
    expect(w.pendingAtClose()).toBe(0);
    expect(errors.mock.calls).toEqual([]);
    if (typeof outcome === 'string') await expect(fetch(`${outcome}/v1/segments`)).rejects.toThrow();
    else expect(outcome.message).toMatch(/^seglet: /);
  });
});
