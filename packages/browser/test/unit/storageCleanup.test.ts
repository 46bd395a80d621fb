import { describe, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../../src/storage/backend.js';
import { cleanupLog, isQuotaError, writeEvictingOldest } from '../../src/storage/cleanupLog.js';

const quota = (): DOMException => new DOMException('full', 'QuotaExceededError');
const now = Date.now();
/** The event records of a read (a cleanup that changed something also leaves its generation token). */
const records = (all: [string, unknown][]): [string, unknown][] => all.filter(([key]) => key.startsWith('e/'));

/** Answers `navigator.storage.estimate()` (absent in happy-dom) with `usage()`; returns the undo. */
function stubUsage(usage: () => number): () => void {
  Object.defineProperty(navigator, 'storage', { configurable: true, value: { estimate: () => Promise.resolve({ usage: usage(), quota: 1000 }) } });
  return () => { delete (navigator as { storage?: unknown }).storage; };
}

async function backendWith(batches: number, perBatch: number) {
  const backend = createMemoryBackend();
  for (let b = 0; b < batches; b++) {
    await backend.write([[`e/t/${b}`, { v: 1, events: Array.from({ length: perBatch }, (_, i) => ({ id: `t:${b * perBatch + i}`, type: 'e', t: now - 1000 + b * perBatch + i })) }]]);
  }
  return backend;
}

describe('cleanupLog and quota eviction', () => {
  it('evicts exactly the oldest events, rewriting a partly evicted batch', async () => {
    const backend = await backendWith(3, 4);
    const result = await cleanupLog({ backend, locks: null, lockName: 'x', retain: undefined, now }, () => 5);
    expect(result).toEqual({ dropped: 5, kept: 7, reused: false, limits: { at: 0, events: 10_000, forMs: 90 * 86_400_000 } });
    const all = records(await backend.readAll());
    expect(all.map(([k]) => k).sort()).toEqual(['e/t/1', 'e/t/2']);
    expect((all.find(([k]) => k === 'e/t/1')![1] as { events: { id: string }[] }).events.map((e) => e.id)).toEqual(['t:5', 't:6', 't:7']);
  });

  it('falls back to deleting whole batches when even the rewrite hits the quota', async () => {
    const backend = await backendWith(3, 4);
    const write = backend.write.bind(backend);
    backend.write = vi.fn((puts, deletes) => (puts.length > 0 ? Promise.reject(quota()) : write(puts, deletes)));
    await cleanupLog({ backend, locks: null, lockName: 'y', retain: undefined, now }, () => 5);
    expect((await backend.readAll()).map(([k]) => k)).toEqual(['e/t/2']);
  });

  it('rewrites a partly evicted batch once deleting the wholly evicted ones made room for it', async () => {
    const backend = await backendWith(3, 4);
    const write = backend.write.bind(backend);
    // Full while e/t/0 is stored: a write with puts fits only after it went.
    backend.write = vi.fn(async (puts, deletes) => {
      const full = (await backend.readAll()).some(([k]) => k === 'e/t/0');
      return puts.length > 0 && full ? Promise.reject(quota()) : write(puts, deletes);
    });
    await cleanupLog({ backend, locks: null, lockName: 'y2', retain: undefined, now }, () => 5);
    const all = records(await backend.readAll());
    expect(all.map(([k]) => k).sort()).toEqual(['e/t/1', 'e/t/2']);
    // The events the eviction kept in e/t/1 are still stored, where the fallback deleted them with it.
    expect((all.find(([k]) => k === 'e/t/1')![1] as { events: { id: string }[] }).events.map((e) => e.id)).toEqual(['t:5', 't:6', 't:7']);
  });

  it('retries with growing evictions until the write fits, and gives up when nothing fits', async () => {
    const backend = await backendWith(10, 10);
    const evictions: number[] = [];
    const evict = (count: (remaining: number) => number) =>
      cleanupLog({ backend, locks: null, lockName: 'z', retain: undefined, now }, (remaining) => { const n = count(remaining); evictions.push(n); return n; });
    let room = 0;
    const write = vi.fn(async () => { room = 100 - records(await backend.readAll()).length * 10; if (room < 50) throw quota(); });
    expect(await writeEvictingOldest(write, evict, 3, () => true)).toBe(true);
    expect(evictions).toEqual([20, 32]);
    expect(await writeEvictingOldest(() => Promise.reject(quota()), evict, 3, () => true)).toBe(false);
    // The last round keeps the newest `size` events (with a batch counted in, the batch itself
    // when it is the newest): they are what the write would have stored.
    const left = records(await backend.readAll()).flatMap(([, r]) => (r as { events: { id: string }[] }).events.map((e) => e.id));
    expect(left).toEqual(['t:97', 't:98', 't:99']);
    await expect(writeEvictingOldest(() => Promise.reject(new Error('other')), evict, 1, () => true)).rejects.toThrow('other');
    expect(isQuotaError(quota())).toBe(true);
    expect(isQuotaError(null)).toBe(false);
  });

  it('goes on to the next round while the usage falls or stays about flat (deleted blob files freed later)', async () => {
    for (const step of [(stored: number) => stored, () => 103]) {
      const backend = await backendWith(10, 10);
      const stored = async (): Promise<number> => records(await backend.readAll()).length * 10;
      let used = 100;
      const undo = stubUsage(() => used);
      try {
        const evictions: number[] = [];
        const evict = async (count: (remaining: number) => number) => {
          await cleanupLog({ backend, locks: null, lockName: 'u', retain: undefined, now }, (remaining) => { const n = count(remaining); evictions.push(n); return n; });
          used = step(await stored());
        };
        const write = vi.fn(async () => { if (100 - (await stored()) < 50) throw quota(); });
        expect(await writeEvictingOldest(write, evict, 3, () => true)).toBe(true);
        expect(evictions).toEqual([20, 32]);
        expect(write).toHaveBeenCalledTimes(2);
      } finally {
        undo();
      }
    }
  });

  it('stops after a round that raised the usage by over an eighth, resolving with it: more rounds would empty the log for nothing', async () => {
    const backend = await backendWith(10, 10);
    // As Chromium with small values: deleting raises the usage (by about what was deleted).
    let used = 100;
    const undo = stubUsage(() => used);
    try {
      const evictions: number[] = [];
      const evict = async (count: (remaining: number) => number) => {
        await cleanupLog({ backend, locks: null, lockName: 'v', retain: undefined, now }, (remaining) => { const n = count(remaining); evictions.push(n); used += n; return n; });
      };
      const write = vi.fn(() => Promise.reject(quota()));
      expect(await writeEvictingOldest(write, evict, 3, () => true)).toBe(120);
      expect(evictions).toEqual([20]);
      expect(write).toHaveBeenCalledTimes(1);
      const left = records(await backend.readAll()).flatMap(([, r]) => (r as { events: { id: string }[] }).events.map((e) => e.id));
      expect(left).toEqual(Array.from({ length: 80 }, (_, i) => `t:${i + 20}`));
      // Usage falling but never enough: every round runs; not written, resolving with the last usage.
      used = 1000;
      const falling = async (count: (remaining: number) => number) => { await evict(count); used -= 100; };
      expect(await writeEvictingOldest(write, falling, 3, () => true)).toBe(1000 + 16 + 26 + 31 + 4 - 4 * 100);
      expect(evictions).toEqual([20, 16, 26, 31, 4]);
      expect(records(await backend.readAll()).flatMap(([, r]) => (r as { events: { id: string }[] }).events.map((e) => e.id))).toEqual(['t:97', 't:98', 't:99']);
    } finally {
      undo();
    }
  });
});
