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
const eventsOf = async (backend: ReturnType<typeof createMemoryBackend>): Promise<string[]> =>
  (await backend.readAll()).flatMap(([, value]) => (value as BatchRecord).events.map((e) => e.id));

describe('cleanup merges small records', () => {
  it('moves the survivors of many small records into few records in restore order, losing none', async () => {
    const backend = await backendWith(MERGE_MIN + 8, 3);
    let k = 0;
    const result = await cleanupLog({ backend, locks: null, lockName: 'm1', retain: undefined, now, nextKey: () => `e/me/${k++}` }, () => 4);
    expect(result).toEqual({ dropped: 4, kept: (MERGE_MIN + 8) * 3 - 4 });
    const all = await backend.readAll();
    expect(all.map(([key]) => key)).toEqual(['e/me/0']);
    const ids = (all[0]![1] as BatchRecord).events.map((e) => Number(e.id.slice(2)));
    expect(ids).toEqual(Array.from({ length: (MERGE_MIN + 8) * 3 - 4 }, (_, i) => i + 4));
  });

  it('leaves a few small records alone and splits big merges into records of MERGED_SIZE', async () => {
    const few = await backendWith(MERGE_MIN - 1, 2);
    const nextKey = vi.fn(() => 'e/me/x');
    await cleanupLog({ backend: few, locks: null, lockName: 'm2', retain: undefined, now, nextKey }, () => 1);
    expect(nextKey).not.toHaveBeenCalled();
    expect((await few.readAll()).length).toBe(MERGE_MIN - 1);

    const many = await backendWith(Math.ceil((MERGED_SIZE * 2 + 10) / 50), 50);
    let k = 0;
    await cleanupLog({ backend: many, locks: null, lockName: 'm3', retain: undefined, now, nextKey: () => `e/me/${k++}` });
    const sizes = (await many.readAll()).map(([, value]) => (value as BatchRecord).events.length);
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
