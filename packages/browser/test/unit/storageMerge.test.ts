import { describe, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../../src/storage/backend.js';
import { cleanupLog } from '../../src/storage/cleanupLog.js';
import { MERGE_MIN, MERGED_SIZE } from '../../src/storage/mergeSmallBatches.js';
import { openEventStore } from '../../src/storage/openEventStore.js';
import { DEFAULT_RETAIN, type BatchRecord } from '../../src/storage/records.js';

const now = Date.now();
const quota = (): DOMException => new DOMException('full', 'QuotaExceededError');

/** `records` records of `per` events each, from tabs a and b alternately, oldest first. */
async function backendWith(records: number, per: number) {
  const backend = createMemoryBackend();
  let n = 0;
  for (let r = 0; r < records; r++) {
    const tab = r % 2 ? 'b' : 'a';
    const events = Array.from({ length: per }, () => ({ id: `${tab}:${n}`, type: 'e', t: now - 100_000 + n++ }));
    await backend.write([[`e/${tab}/${r}`, { v: 1, events }]]);
  }
  return backend;
}
/** The event records of a read (a cleanup that changed something also leaves its generation token). */
const records = async (backend: ReturnType<typeof createMemoryBackend>): Promise<[string, unknown][]> =>
  (await backend.readAll()).filter(([key]) => key.startsWith('e/'));
const eventsOf = async (backend: ReturnType<typeof createMemoryBackend>): Promise<string[]> =>
  (await records(backend)).flatMap(([, value]) => (value as BatchRecord).events.map((e) => e.id));

describe('cleanup merges small records', () => {
  it('moves the survivors of many small records into few records in restore order, losing none', async () => {
    const backend = await backendWith(MERGE_MIN + 8, 3);
    let k = 0;
    const result = await cleanupLog({ backend, locks: null, lockName: 'm1', retain: undefined, now, nextKey: () => `e/me/${k++}` }, () => 4);
    expect(result).toEqual({ dropped: 4, kept: (MERGE_MIN + 8) * 3 - 4, reused: false, limits: { at: 0, events: 10_000, forMs: 90 * 86_400_000 } });
    const all = await records(backend);
    expect(all.map(([key]) => key)).toEqual(['e/me/0']);
    const ids = (all[0]![1] as BatchRecord).events.map((e) => Number(e.id.slice(2)));
    expect(ids).toEqual(Array.from({ length: (MERGE_MIN + 8) * 3 - 4 }, (_, i) => i + 4));
  });

  it('leaves a few small records alone and splits big merges into records of MERGED_SIZE', async () => {
    const few = await backendWith(MERGE_MIN - 1, 2);
    const nextKey = vi.fn(() => 'e/me/x');
    await cleanupLog({ backend: few, locks: null, lockName: 'm2', retain: undefined, now, nextKey }, () => 1);
    expect(nextKey).not.toHaveBeenCalled();
    expect((await records(few)).length).toBe(MERGE_MIN - 1);

    const many = await backendWith(Math.ceil((MERGED_SIZE * 2 + 10) / 50), 50);
    let k = 0;
    await cleanupLog({ backend: many, locks: null, lockName: 'm3', retain: undefined, now, nextKey: () => `e/me/${k++}` });
    const sizes = (await records(many)).map(([, value]) => (value as BatchRecord).events.length);
    expect(sizes).toEqual([MERGED_SIZE, MERGED_SIZE, Math.ceil((MERGED_SIZE * 2 + 10) / 50) * 50 - 2 * MERGED_SIZE]);
  });

  it('on a quota error deletes only, without the merged records', async () => {
    const backend = await backendWith(MERGE_MIN + 1, 2);
    const before = await eventsOf(backend);
    const write = backend.write.bind(backend);
    backend.write = vi.fn((puts, deletes) => (puts.length > 0 ? Promise.reject(quota()) : write(puts, deletes)));
    await cleanupLog({ backend, locks: null, lockName: 'm4', retain: undefined, now, nextKey: () => 'e/me/0' }, () => 3);
    // Records 0 (whole) and 1 (partly evicted, so deleted under quota) are gone; the rest untouched.
    expect(await eventsOf(backend)).toEqual(before.slice(4));
  });
});

describe('openEventStore retention under a burst', () => {
  it('keeps exactly the newest limit events after a burst whose prunes overlap the appends', async () => {
    const store = openEventStore({ storage: 'memory', tabId: 't', locks: null });
    await store.ready;
    expect(await store.load()).toEqual([]);
    const limit = DEFAULT_RETAIN.events;
    const total = limit * 2 + 500;
    for (let i = 0; i < total; i += 50) {
      store.append(Array.from({ length: 50 }, (_, j) => ({ type: 'e', t: now - total + i + j })));
      // Tasks back to back: the prune (awaiting its read) overlaps the next appends.
      await new Promise((r) => setTimeout(r, 0));
    }
    await store.flush();
    await store.prune();
    const log = await store.load();
    expect(log.length).toBe(limit);
    expect(log[0]!.id).toBe(`t:${total - limit}`);
    store.close();
  });
});

describe('a cleanup after a load reuses its read', () => {
  // Fresh keys across cleanups, as a tab's batch sequence gives them.
  let k = 0;
  const merge = (backend: ReturnType<typeof createMemoryBackend>, read?: [string, unknown][]) =>
    cleanupLog({ backend, locks: null, lockName: 'g', retain: undefined, now, nextKey: () => `e/me/${k++}`, read });

  it('merges from the earlier read, without reading again, while the generation token is unchanged', async () => {
    const backend = await backendWith(MERGE_MIN + 1, 2);
    // The first cleanup has no token to compare: it reads, and leaves one.
    expect((await merge(backend, await backend.readAll())).reused).toBe(false);
    for (let r = 0; r < MERGE_MIN; r++) await backend.write([[`e/c/${r}`, { v: 1, events: [{ id: `c:${r}`, type: 'e', t: now - 50_000 + r }] }]]);
    const read = await backend.readAll();
    // Written after the read: left alone, as a write during a fresh read would be.
    await backend.write([['e/c/late', { v: 1, events: [{ id: 'c:late', type: 'e', t: now - 1 }] }]]);
    const readAll = vi.spyOn(backend, 'readAll');
    const result = await merge(backend, read);
    expect(result.reused).toBe(true);
    expect(readAll).not.toHaveBeenCalled();
    const keys = (await records(backend)).map(([key]) => key);
    expect(keys).toContain('e/c/late');
    expect(keys.filter((key) => key.startsWith('e/c/'))).toEqual(['e/c/late']);
    expect((await eventsOf(backend)).sort()).toEqual([...Array.from({ length: (MERGE_MIN + 1) * 2 }, (_, i) => `${i % 4 < 2 ? 'a' : 'b'}:${i}`), ...Array.from({ length: MERGE_MIN }, (_, r) => `c:${r}`), 'c:late'].sort());
  });

  it('reads again when another cleanup ran since, or the store was cleared (nothing comes back)', async () => {
    const backend = await backendWith(MERGE_MIN + 1, 2);
    await merge(backend, await backend.readAll());
    for (let r = 0; r < MERGE_MIN; r++) await backend.write([[`e/c/${r}`, { v: 1, events: [{ id: `c:${r}`, type: 'e', t: now - 50_000 + r }] }]]);
    const stale = await backend.readAll();
    // Another tab's cleanup: it merges the same records and leaves a new token.
    await cleanupLog({ backend, locks: null, lockName: 'g', retain: undefined, now, nextKey: () => 'e/other/0' });
    const readAll = vi.spyOn(backend, 'readAll');
    const again = await merge(backend, stale);
    const reads = readAll.mock.calls.length;
    // The stale read would have merged the c records a second time.
    expect(new Set(await eventsOf(backend)).size).toBe((await eventsOf(backend)).length);
    expect(reads).toBe(1);
    expect(again.reused).toBe(false);

    // forget(): everything is gone, the token too; a read from before must not write anything back.
    const before = await backend.readAll();
    await backend.clear();
    const cleared = await merge(backend, before);
    expect(await backend.readAll()).toEqual([]);
    expect(cleared.reused).toBe(false);
  });
});
