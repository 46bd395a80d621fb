// The store as the CLI runs it: SQLite in a worker thread (the transpiled sqliteWorker.js next to
// the test CLI), which merges queued applyGroup messages into one commit.
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, inject, it } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/index.js';
import type { Beacon, StoreSettings } from '../src/index.js';
import { nextPurgeLimit, PURGE_FIRST } from '../src/nextPurgeLimit.js';
import type { SqliteCore } from '../src/SqliteCore.js';
import { storeContract } from './storeContract.js';
import { tmpDb } from './helpers.js';

const workerFile = join(dirname(inject('cliPath')), 'sqliteWorker.js');
const settings: StoreSettings = { ttlMs: 90 * 86_400_000, webhooks: false };
const workers: Worker[] = [];
afterEach(async () => { await Promise.all(workers.splice(0).map((w) => w.terminate())); });

function spawnWorker(file: string, s: StoreSettings): Worker {
  const worker = new Worker(workerFile, { workerData: { file, settings: s } });
  workers.push(worker);
  return worker;
}

async function openInWorker(file: string, s: StoreSettings): Promise<SqliteStore> {
  const worker = spawnWorker(file, s);
  const ready = await new Promise<{ ready?: boolean; error?: string }>((resolve) => worker.once('message', resolve));
  if (!ready.ready) throw new Error(ready.error);
  return new SqliteStore(file, s, worker);
}

storeContract('sqlite in a worker thread', async (s) => {
  const file = tmpDb();
  return { store: await openInWorker(file, s), reopen: (changed = {}) => openInWorker(file, { ...s, ...changed }) };
});

const now = Date.now();
const beacon = (id: string, anonymousId: string, segment: string): Beacon => ({ id, anonymousId, forget: false, sentAt: now, changes: [{ segment, member: true, t: now - 1000 }] });
const group = (...beacons: Beacon[]) => beacons.map((b) => ({ beacon: b, now }));

/** A ready worker, kept busy by a commit of many beacons (id 100) so the next posts queue up. */
async function busyWorker(): Promise<{ worker: Worker; replies: unknown[]; until: (id: number) => Promise<void> }> {
  const worker = spawnWorker(tmpDb(), settings);
  const replies: unknown[] = [];
  const waiting = new Map<number, () => void>();
  worker.on('message', (m: unknown) => {
    replies.push(m);
    for (const r of [m].flat() as { id?: number }[]) if (r.id !== undefined) waiting.get(r.id)?.();
  });
  await new Promise<void>((resolve) => { worker.once('message', () => { resolve(); }); });
  replies.length = 0;
  const many = Array.from({ length: 5000 }, (_, i) => beacon(`busy${i}`, `p${i}`, 'x'));
  worker.postMessage({ id: 100, op: 'applyGroup', args: [group(...many)] });
  return { worker, replies, until: (id) => new Promise((resolve) => { waiting.set(id, resolve); }) };
}

describe('sqlite worker protocol', () => {
  it('commits applyGroup messages that queued up together as one transaction, each id applied once', async () => {
    const { worker, replies, until } = await busyWorker();
    const done = until(4);
    worker.postMessage({ id: 0, op: 'applyGroup', args: [group(beacon('b1', 'a', 'x'), beacon('b1', 'a', 'y'))] });
    worker.postMessage({ id: 1, op: 'applyGroup', args: [group(beacon('b1', 'a', 'z'), beacon('b2', 'b', 'x'))] });
    worker.postMessage({ id: 2, op: 'applyGroup', args: [group(beacon('b3', 'a', 'w'))] });
    worker.postMessage({ id: 3, op: 'profile', args: ['a', now] });
    worker.postMessage({ id: 4, op: 'applyGroup', args: [group(beacon('b2', 'b', 'y'), beacon('b4', 'b', 'y'))] });
    await done;
    expect(replies[0]).toMatchObject({ id: 100 });
    // One reply message for the merged commit of 0-2, then the read, then the last commit.
    expect(replies.slice(1)).toEqual([
      [
        { id: 0, result: ['applied', 'duplicate'] },
        { id: 1, result: ['duplicate', 'applied'] },
        { id: 2, result: ['applied'] },
      ],
      { id: 3, result: { members: ['w', 'x'], updatedAt: now } },
      { id: 4, result: ['duplicate', 'applied'] },
    ]);
  });

  it('answers every message of a failed merged commit with the error', async () => {
    const { worker, replies, until } = await busyWorker();
    const done = until(1);
    worker.postMessage({ id: 0, op: 'applyGroup', args: [group(beacon('c1', 'a', 'x'))] });
    // Not a beacon: the transaction throws and nothing of the merged group is kept.
    worker.postMessage({ id: 1, op: 'applyGroup', args: [[{ beacon: null, now }]] });
    await done;
    const failed = replies[1] as { id: number; error?: string }[];
    expect(failed.map((r) => r.id)).toEqual([0, 1]);
    expect(failed.every((r) => typeof r.error === 'string')).toBe(true);
    const store = new SqliteStore('', settings, worker);
    // The busy commit stands; nothing of the failed one does.
    expect((await store.profile('p1', now))?.members).toEqual(['x']);
    expect(await store.profile('a', now)).toBeNull();
  });
});

describe('sqlite worker that stops', () => {
  it('fails pending and later calls instead of leaving them unanswered; close still resolves', async () => {
    const store = await openInWorker(tmpDb(), settings);
    const worker = workers[workers.length - 1]!;
    const pending = store.apply(beacon('w-pending', 'wp', 'x'), now);
    // An out-of-memory or a fatal error ends the thread the same way: it never answers again.
    await worker.terminate();
    const within = <T>(p: Promise<T>) => Promise.race([p.then(() => 'resolved', (e: Error) => e.message), new Promise((r) => setTimeout(() => r('hung'), 2_000))]);
    expect(await within(pending)).toMatch(/^seglet: /);
    expect(await within(store.apply(beacon('w-later', 'wl', 'x'), now))).toMatch(/^seglet: /);
    expect(await within(store.profile('wl', now))).toMatch(/^seglet: /);
    expect(await within(store.close())).toBe('resolved');
  });
});

describe('sqlite purge in steps', () => {
  const DAY = 86_400_000;
  /** A database holding 5,000 expired batch ids, 1,500 expired profiles (2 memberships each) and 10 current ones. */
  async function filled(): Promise<string> {
    const file = tmpDb();
    await new SqliteStore(file, settings).close();
    const db = new Database(file);
    db.transaction(() => {
      const b = db.prepare('INSERT INTO batches (id, at) VALUES (?, ?)');
      const p = db.prepare('INSERT INTO profiles (aid, user_id, updated_at, set_t) VALUES (?, NULL, ?, 0)');
      const m = db.prepare('INSERT INTO memberships (aid, segment, member, t) VALUES (?, ?, 1, 0)');
      for (let i = 0; i < 5_000; i++) b.run(`old${i}`, now - 8 * DAY + i);
      for (let i = 0; i < 1_510; i++) {
        p.run(`p${i}`, i < 1_500 ? now - 91 * DAY + i : now - DAY);
        m.run(`p${i}`, 'x');
        m.run(`p${i}`, 'y');
      }
    })();
    db.close();
    return file;
  }
  function rows(file: string): Record<string, number> {
    const db = new Database(file, { readonly: true });
    const count = (sql: string) => (db.prepare(sql).pluck().get() as number);
    const out = { batches: count('SELECT COUNT(*) FROM batches'), profiles: count('SELECT COUNT(*) FROM profiles'), memberships: count('SELECT COUNT(*) FROM memberships') };
    db.close();
    return out;
  }

  it.each([
    ['in a worker thread', (file: string) => openInWorker(file, settings)],
    ['on the calling thread', (file: string) => Promise.resolve(new SqliteStore(file, settings))],
  ])('%s: a beacon that comes during a purge is committed before the purge ends, and every expired row goes', async (_name, open) => {
    const file = await filled();
    const store = await open(file);
    const order: string[] = [];
    const purged = store.purge(now).then(() => order.push('purge'));
    const applied = store.apply(beacon('during', 'fresh', 'x'), now).then((o) => order.push(`beacon ${o}`));
    await Promise.all([purged, applied]);
    // One transaction held the beacon until all of it was done.
    expect(order).toEqual(['beacon applied', 'purge']);
    await store.close();
    // Left: the beacon's id, the 10 current profiles and the beacon's, with their memberships.
    expect(rows(file)).toEqual({ batches: 1, profiles: 11, memberships: 21 });
  });

  it('starts with a small step and sizes each next one by the last one\'s time', async () => {
    const file = await filled();
    const store = new SqliteStore(file, settings);
    const core = (store as unknown as { core: SqliteCore }).core;
    const purge = core.purge.bind(core);
    const limits: number[] = [];
    core.purge = (at: number, limit?: number) => { limits.push(limit ?? -1); return purge(at, limit); };
    await store.purge(now);
    await store.close();
    // Fixed at 500 rows of each kind, the first steps of a large purge held beacons for 50-80 ms.
    expect(limits[0]).toBe(PURGE_FIRST);
    expect(limits.every((n) => n >= 16 && n <= 500)).toBe(true);
    limits.slice(1).forEach((n, i) => expect([limits[i]! >> 1, limits[i], limits[i]! * 2, 16, 500]).toContain(n));
    expect(rows(file)).toEqual({ batches: 0, profiles: 10, memberships: 20 });
  });

  it('stops before its next step once aborted; the next purge does the rest', async () => {
    const file = await filled();
    let store = new SqliteStore(file, settings);
    const stop = new AbortController();
    const purged = store.purge(now, stop.signal);
    stop.abort();
    await purged;
    await store.close();
    const left = rows(file);
    expect(left.batches).toBeGreaterThan(0);
    expect(left.batches).toBeLessThan(5_000);
    store = new SqliteStore(file, settings);
    await store.purge(now);
    await store.close();
    expect(rows(file)).toEqual({ batches: 0, profiles: 10, memberships: 20 });
  });
});

describe('nextPurgeLimit', () => {
  it('halves a step past 8 ms, doubles one under 4 ms, keeps one between, within [16, 500]', () => {
    expect(nextPurgeLimit(PURGE_FIRST, 1)).toBe(64);
    expect(nextPurgeLimit(400, 1)).toBe(500);
    expect(nextPurgeLimit(500, 0)).toBe(500);
    expect(nextPurgeLimit(64, 6)).toBe(64);
    expect(nextPurgeLimit(64, 8)).toBe(64);
    expect(nextPurgeLimit(64, 4)).toBe(64);
    expect(nextPurgeLimit(64, 8.5)).toBe(32);
    expect(nextPurgeLimit(20, 50)).toBe(16);
  });
});
