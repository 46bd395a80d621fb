import { afterEach, describe, expect, it, vi } from 'vitest';
import { STATE_KEY } from '../../src/beacon/beaconState.js';
import { clearKeepingForgets } from '../../src/beacon/clearKeepingForgets.js';
import type { BeaconState, QueuedBatch } from '../../src/beacon/types.js';
import { hasDatabase } from '../../src/storage/hasDatabase.js';

/** A store double: meta by key, `clear()` empties everything (as the event store's clear does). */
function memoryStore(state?: BeaconState) {
  const map = new Map<string, unknown>(state ? [[STATE_KEY, state]] : []);
  return {
    map,
    getMeta: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    setMeta: async (key: string, value: unknown) => { map.set(key, structuredClone(value)); },
    // Sealed as the event store's clear is: a token already stored deletes nothing.
    clear: async (_elsewhere?: boolean, seal?: string) => {
      if (seal && map.get('erased') === seal) return false;
      map.clear();
      if (seal) map.set('erased', seal);
      return true;
    },
  };
}
const batch = (anonymousId: string, forget: boolean): QueuedBatch => ({
  body: forget ? { v: 1, id: `f-${anonymousId}`, anonymousId, forget: true } : { v: 1, id: `m-${anonymousId}`, anonymousId, changes: [], members: ['a'] },
  created: 1, attempts: 2, nextAt: 5,
});
const state = (queue: QueuedBatch[]): BeaconState => ({ v: 1, rev: 7, anonymousId: 'old', acked: ['a'], last: null, queue });

describe('clearKeepingForgets', () => {
  it('keeps only the queued forget requests, with nothing else of the old profile', async () => {
    const store = memoryStore(state([batch('older', true), batch('old', false), batch('old', true)]));
    await clearKeepingForgets(store, null, 100);
    const kept = store.map.get(STATE_KEY) as BeaconState;
    expect([...store.map.keys()]).toEqual([STATE_KEY]);
    expect(kept).toMatchObject({ anonymousId: null, acked: [] });
    expect(kept.queue.map((q) => q.body.id)).toEqual(['f-older', 'f-old']);
  });

  it('an erase sealed already (finished by the page that ran it) deletes nothing and queues nothing more', async () => {
    const store = memoryStore(state([batch('old', false)]));
    await clearKeepingForgets(store, 'gone-id', 100, false, 'token-1');
    store.map.set('m/anonymousId', 'new-id');
    await clearKeepingForgets(store, 'gone-id', 200, false, 'token-1');
    expect(store.map.get('m/anonymousId')).toBe('new-id');
    expect((store.map.get(STATE_KEY) as BeaconState).queue.map((q) => q.created)).toEqual([100]);
  });

  it('adds a request for the id given, or read from the store before the clear', async () => {
    const store = memoryStore(state([batch('old', false)]));
    store.map.set('m/anonymousId', 'stored-id');
    await clearKeepingForgets(store, store.getMeta('m/anonymousId'), 100);
    expect((store.map.get(STATE_KEY) as BeaconState).queue).toEqual([
      { body: { v: 1, id: expect.any(String), anonymousId: 'stored-id', forget: true }, created: 100, attempts: 0, nextAt: 100 },
    ]);
  });

  it('under GPC adds a request only for the id the state before the clear was batched for', async () => {
    const queued = (store: ReturnType<typeof memoryStore>): string[] => ((store.map.get(STATE_KEY) as BeaconState | undefined)?.queue ?? []).map((q) => q.body.anonymousId);
    const batched = memoryStore(state([batch('older', true)]));
    await clearKeepingForgets(batched, 'old', 100, true);
    expect(queued(batched)).toEqual(['older', 'old']);
    const never = memoryStore(state([batch('older', true)]));
    await clearKeepingForgets(never, 'never-batched', 100, true);
    expect(queued(never)).toEqual(['older']);
    const off = memoryStore(state([]));
    await clearKeepingForgets(off, 'never-batched', 100, false);
    expect(queued(off)).toEqual(['never-batched']);
  });

  it('under GPC adds a request only for an id a batch was handed over for, not one the state merely noted', async () => {
    const queued = async (before: Partial<BeaconState>): Promise<string[]> => {
      const store = memoryStore({ ...state([]), ...before });
      await clearKeepingForgets(store, 'old', 100, true);
      return ((store.map.get(STATE_KEY) as BeaconState | undefined)?.queue ?? []).map((q) => q.body.anonymousId);
    };
    // Memberships that netted to nothing: the id noted, no batch made.
    expect(await queued({ acked: [], sent: null })).toEqual([]);
    // A batch queued, never handed over (the page closed first).
    expect(await queued({ acked: [], queue: [{ ...batch('old', false), attempts: 0 }] })).toEqual([]);
    // Handed over (fetch or sendBeacon), acknowledged or not.
    expect(await queued({ acked: [], sent: 'old' })).toEqual(['old']);
    expect(await queued({ sent: 'old' })).toEqual(['old']);
    // Handed over for another profile since: this one is not the one the collector was last sent.
    expect(await queued({ acked: [], sent: 'newer' })).toEqual([]);
    // A state from before `sent`: acknowledged memberships show the collector has the id.
    expect(await queued({})).toEqual(['old']);
  });

  it('the state it leaves notes no handed-over id: the erased profile is gone', async () => {
    const store = memoryStore({ ...state([]), sent: 'old' });
    await clearKeepingForgets(store, 'old', 100, true);
    expect(store.map.get(STATE_KEY)).not.toHaveProperty('sent');
  });

  it('stores nothing when there is nothing to keep', async () => {
    const store = memoryStore(state([batch('old', false)]));
    await clearKeepingForgets(store, undefined, 100);
    expect(store.map.size).toBe(0);
  });
});

describe('hasDatabase', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('is false only when the browser lists its databases without it', async () => {
    vi.stubGlobal('indexedDB', { databases: async () => [{ name: 'other', version: 1 }] });
    expect(await hasDatabase('seglet')).toBe(false);
    vi.stubGlobal('indexedDB', { databases: async () => [{ name: 'seglet', version: 1 }] });
    expect(await hasDatabase('seglet')).toBe(true);
  });

  it('is true when it cannot tell (no databases(), no IndexedDB, a rejection)', async () => {
    vi.stubGlobal('indexedDB', {});
    expect(await hasDatabase('seglet')).toBe(true);
    vi.stubGlobal('indexedDB', undefined);
    expect(await hasDatabase('seglet')).toBe(true);
    vi.stubGlobal('indexedDB', { databases: () => Promise.reject(new DOMException('blocked', 'SecurityError')) });
    expect(await hasDatabase('seglet')).toBe(true);
  });
});
