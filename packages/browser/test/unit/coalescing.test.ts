import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments } from '../../src/types.js';
import { createSnapshotWriter } from '../../src/dom/createSnapshotWriter.js';
import { rulesHash } from '../../src/dom/rulesHash.js';
import { SNAPSHOT_AT_KEY, SNAPSHOT_KEY, SNAPSHOT_STALE_KEY, startupMembers } from '../../src/dom/snapshot.js';
import { createTabChannel, type TabMessage } from '../../src/tabs/index.js';

const microtasks = (): Promise<void> => new Promise((r) => queueMicrotask(r));
const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stored = (): { rules: string; members: string[]; until: number | null } | null => {
  const raw = localStorage.getItem(SNAPSHOT_KEY);
  return raw === null ? null : (JSON.parse(raw) as { rules: string; members: string[]; until: number | null });
};

beforeEach(() => {
  localStorage.clear();
  indexedDB.deleteDatabase('seglet');
});
afterEach(() => vi.restoreAllMocks());

describe('createSnapshotWriter', () => {
  const T = 1_700_000_000_000;
  let clock = T;
  const now = (): number => clock;
  beforeEach(() => { clock = T; });

  it('writes at most once per task, the last state of the task', async () => {
    const setItem = vi.spyOn(localStorage, 'setItem');
    const w = createSnapshotWriter(window, now);
    w.update('h', true, () => ['a'], T + 100);
    w.update('h', true, () => ['a', 'b'], T + 50);
    w.update('h', true, () => ['b'], T + 40);
    expect(setItem).not.toHaveBeenCalled();
    await microtasks();
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(stored()).toMatchObject({ rules: 'h', members: ['b'], until: T + 40 });
  });

  it('a page on older rules leaves the snapshot of newer rules alone, and marks it stale after a change that page has not written', async () => {
    let last = T;
    const newer = createSnapshotWriter(window, now, () => T - 1_000, () => last);
    const older = createSnapshotWriter(window, now, () => T - 86_400_000, () => last);
    const startup = () => [...startupMembers(window, 'new', { now: clock })];
    // An event both tabs apply: the newer rules' page writes first, the older leaves it.
    clock = T + 5;
    newer.update('new', true, () => ['buyer'], null);
    await microtasks();
    expect(stored()).toMatchObject({ rules: 'new', members: ['buyer'], t: T + 5 });
    expect(localStorage.getItem(SNAPSHOT_AT_KEY)).toBe(`${T - 1_000} new`);
    clock = T + 20;
    older.update('old', true, () => ['buyer', 'legacy'], null);
    await microtasks();
    expect(stored()).toMatchObject({ rules: 'new', members: ['buyer'] });
    expect(localStorage.getItem(SNAPSHOT_STALE_KEY)).toBeNull();
    expect(startup()).toEqual(['buyer']);
    // An event the older page applies first: it marks the snapshot stale until the newer page writes.
    last = T + 100;
    clock = T + 100;
    older.update('old', true, () => ['legacy'], null);
    await microtasks();
    expect(stored()).toMatchObject({ rules: 'new', members: ['buyer'] });
    expect(localStorage.getItem(SNAPSHOT_STALE_KEY)).toBe(String(T + 100));
    expect(startup()).toEqual([]);
    clock = T + 103;
    newer.update('new', true, () => [], null);
    await microtasks();
    expect(stored()).toMatchObject({ rules: 'new', members: [], t: T + 103 });
    newer.update('new', true, () => ['vip'], null);
    await microtasks();
    expect(startup()).toEqual(['vip']);
    // An until that moved, the members as they were: nothing marked.
    last = T + 5_000;
    clock = T + 5_000;
    older.update('old', false, () => ['legacy'], T + 9_000);
    await microtasks();
    expect(localStorage.getItem(SNAPSHOT_STALE_KEY)).toBe(String(T + 100));
    // A snapshot without its note (an earlier version wrote it) is replaced as before.
    localStorage.removeItem(SNAPSHOT_AT_KEY);
    clock = T + 6_000;
    older.update('old', true, () => ['buyer'], null);
    await microtasks();
    expect(stored()).toMatchObject({ rules: 'old', members: ['buyer'] });
    expect(localStorage.getItem(SNAPSHOT_AT_KEY)).toBe(`${T - 86_400_000} old`);
  });

  it('writes when members, rules or an earlier until change; an until that moves later waits', async () => {
    const setItem = vi.spyOn(localStorage, 'setItem');
    const w = createSnapshotWriter(window, now);
    w.update('h', true, () => ['a'], T + 100);
    await microtasks();
    // Later (and later again, or to null): the stored snapshot stays true, only expiring early.
    for (const until of [T + 200, T + 300, null]) {
      w.update('h', false, () => { throw new Error('members are not read when unchanged'); }, until);
      await microtasks();
    }
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(w.deadline).toBe(T + 100);
    w.update('h', false, () => [], T + 90);
    await microtasks();
    expect(stored()).toMatchObject({ members: ['a'], until: T + 90 });
    w.update('h', true, () => ['a', 'c'], T + 90);
    await microtasks();
    expect(stored()).toMatchObject({ members: ['a', 'c'] });
    w.update('h2', false, () => [], T + 90);
    await microtasks();
    expect(stored()).toMatchObject({ rules: 'h2', members: ['a', 'c'] });
    expect(setItem).toHaveBeenCalledTimes(4);
    // Members that changed and changed back within a task: nothing to write.
    w.update('h2', true, () => ['a'], T + 90);
    w.update('h2', true, () => ['a', 'c'], T + 90);
    await microtasks();
    expect(setItem).toHaveBeenCalledTimes(4);
    expect(w.deadline).toBeNull();
  });

  it('writes a waiting state once the stored one has expired, on flush, and never after reset', async () => {
    const w = createSnapshotWriter(window, now);
    w.update('h', true, () => ['a'], T + 100);
    await microtasks();
    w.update('h', false, () => [], T + 500);
    await microtasks();
    expect(stored()?.until).toBe(T + 100);
    // The facade's timer wakes at the deadline and settles again.
    clock = T + 100;
    w.update('h', false, () => [], T + 500);
    await microtasks();
    expect(stored()?.until).toBe(T + 500);
    w.update('h', false, () => [], T + 900);
    w.flush();
    expect(stored()?.until).toBe(T + 900);
    w.update('h', true, () => ['z'], T + 50);
    w.reset();
    localStorage.removeItem(SNAPSHOT_KEY);
    await microtasks();
    expect(stored()).toBeNull();
    // After a reset everything is new again.
    w.update('h', false, () => ['y'], null);
    await microtasks();
    expect(stored()).toMatchObject({ members: ['y'], until: null });
  });
});

describe('createSegments: per-task work', () => {
  const rules: RuleSet = {
    version: 1,
    segments: {
      recent: { when: { count: 'page_view', within: '1h', gte: 1 } },
      buyer: { when: { count: 'add_to_cart', gte: 3 } },
    },
  };
  let s: Segments | null = null;
  afterEach(() => { s?.destroy(); s = null; });

  it('ten events in a task: one snapshot write, one channel message; later-moving windows write nothing', async () => {
    s = createSegments({ rules, collect: false });
    await s.ready;
    await tick();
    const got: TabMessage[] = [];
    const other = createTabChannel('seglet', (m) => got.push(m), 'other');
    const setItem = vi.spyOn(localStorage, 'setItem');
    for (let i = 0; i < 10; i++) s.track(i % 2 ? 'add_to_cart' : 'page_view');
    await tick();
    expect(got).toHaveLength(1);
    expect(got[0]?.kind === 'events' && got[0].events).toHaveLength(10);
    expect(setItem.mock.calls.filter(([key]) => key === SNAPSHOT_KEY)).toHaveLength(1);
    expect(stored()).toMatchObject({ rules: rulesHash(rules), members: ['recent', 'buyer'] });
    // Each page view moves `recent`'s end later: memberships unchanged, no write.
    const until = stored()?.until;
    for (let i = 0; i < 5; i++) {
      await tick(5);
      s.track('page_view');
    }
    await tick();
    expect(setItem.mock.calls.filter(([key]) => key === SNAPSHOT_KEY)).toHaveLength(1);
    expect(stored()?.until).toBe(until);
    // Hiding the page writes the waiting state, with the latest until.
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    expect(setItem.mock.calls.filter(([key]) => key === SNAPSHOT_KEY)).toHaveLength(2);
    expect(stored()!.until!).toBeGreaterThan(until!);
    other.close();
  });

  it('events of a task reach other tabs before a forget or consent change made in the same task', async () => {
    s = createSegments({ rules, collect: false });
    await s.ready;
    const got: TabMessage[] = [];
    const other = createTabChannel('seglet', (m) => got.push(m), 'other');
    s.track('page_view');
    s.track('add_to_cart');
    s.consent('pending');
    s.track('add_to_cart');
    s.consent('granted');
    s.track('purchase');
    s.track('page_view');
    void s.forget();
    s.track('add_to_cart');
    s.destroy();
    await tick();
    // The add_to_cart tracked while pending goes out with the grant (nothing is posted without consent).
    expect(got.map((m) => (m.kind === 'events' ? m.events.map((e) => e.type).join(',') : m.kind))).toEqual([
      'page_view,add_to_cart', 'consent', 'consent', 'add_to_cart', 'purchase,page_view', 'forget', 'add_to_cart',
    ]);
    other.close();
  });

  /**
   * Web Locks whose lock manager answers a query only after the requests sent before it, and
   * grants no sooner: until `answer()` another tab told of a forget could ask for the lock first,
   * and this tab's clear would delete its writes. `close()` holds the next answers back.
   */
  function gatedLocks() {
    let answer = (): void => {};
    let gate = Promise.resolve();
    const queries: Promise<LockManagerSnapshot>[] = [];
    const locks = {
      request: async (_name: string, _opts: LockOptions, task: (lock: Lock | null) => Promise<unknown>) => {
        await gate;
        return task(null);
      },
      query: () => {
        const q = gate.then(() => ({}));
        queries.push(q);
        return q;
      },
    };
    Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
    return {
      queries,
      close: (): void => { gate = new Promise((r) => { answer = r; }); },
      answer: (): void => answer(),
      restore: (): void => { answer(); Reflect.deleteProperty(navigator, 'locks'); },
    };
  }
  const listen = () => {
    const got: string[] = [];
    const channel = createTabChannel('seglet', (m) => got.push(m.kind === 'events' ? m.events.map((e) => e.type).join(',') : m.kind), 'other');
    return { got, close: () => channel.close() };
  };

  it("forget() is told to other tabs once this tab's request for the Web Lock is queued, and events tracked after it wait for that", async () => {
    const locks = gatedLocks();
    try {
      s = createSegments({ rules, collect: false });
      await s.ready;
      const { got, close } = listen();
      s.track('page_view');
      locks.close();
      const forgot = s.forget();
      s.track('add_to_cart');
      await tick();
      expect(locks.queries).toHaveLength(1);
      expect(got).toEqual(['page_view']);
      locks.answer();
      await forgot;
      await tick();
      expect(got).toEqual(['page_view', 'forget', 'add_to_cart']);
      // Hidden (or destroyed) before the answer: told at once.
      locks.close();
      void s.forget();
      s.track('purchase');
      await tick();
      expect(got).toHaveLength(3);
      window.dispatchEvent(new Event('pagehide'));
      await tick();
      expect(got.slice(3)).toEqual(['forget', 'purchase']);
      close();
    } finally {
      locks.restore();
    }
  });

  it('forget() before ready is told once its lock request, made at ready, is queued', async () => {
    const locks = gatedLocks();
    try {
      s = createSegments({ rules, collect: false });
      const { got, close } = listen();
      locks.close();
      void s.forget();
      s.track('add_to_cart');
      await s.ready;
      await tick();
      expect(got).toEqual([]);
      locks.answer();
      await tick();
      expect(got).toEqual(['forget', 'add_to_cart']);
      close();
    } finally {
      locks.restore();
    }
  });

  it('pagehide writes the waiting snapshot; forget leaves none behind even with a write queued', async () => {
    s = createSegments({ rules, collect: false });
    await s.ready;
    s.track('page_view');
    await tick();
    const first = stored()?.until;
    await tick(5);
    s.track('page_view');
    window.dispatchEvent(new Event('pagehide'));
    expect(stored()!.until!).toBeGreaterThan(first!);
    s.track('add_to_cart');
    s.track('add_to_cart');
    s.track('add_to_cart');
    await s.forget();
    await tick();
    expect(localStorage.getItem(SNAPSHOT_KEY)).toBeNull();
  });
});
