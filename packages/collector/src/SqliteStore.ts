import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nextPurgeLimit, PURGE_FIRST } from './nextPurgeLimit.js';
import { SqliteCore } from './SqliteCore.js';
import type { Store, StoreSettings } from './Store.js';
import type { ApplyOutcome, Beacon, Profile, SegmentStats, WebhookJob } from './types.js';

type Op = 'applyGroup' | 'forget' | 'profile' | 'segments' | 'takeWebhooks' | 'settleWebhook' | 'purge' | 'close';
interface Reply { id: number; result?: unknown; error?: string }
interface Pending { beacon: Beacon; now: number; resolve: (o: ApplyOutcome) => void; reject: (e: unknown) => void }

/** The worker entry sits next to this module in the build (`dist/sqliteWorker.js`). */
function workerUrl(): URL | null {
  const url = new URL('./sqliteWorker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Embedded store on SQLite (better-sqlite3), see {@link SqliteCore} for the durability settings.
 * Beacons are group-committed: those that arrive while a commit is running are the next
 * transaction, so one fsync covers many 204s. With {@link SqliteStore.open} the database lives in
 * a worker thread and the fsync no longer blocks HTTP parsing: each event-loop turn's beacons are
 * posted at once, without waiting for the running commit, and the worker merges everything that
 * queued up meanwhile into its next transaction (so the disk never waits on this thread).
 * `new SqliteStore()` runs the database on the calling thread.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private queue: Pending[] = [];
  private scheduled = false;
  private unsettled = 0;
  private seq = 0;
  private closing: Promise<void> | undefined;
  private dead: Error | undefined;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly core: SqliteCore | null;
  private readonly worker: Worker | null;

  /** Opens (creating if missing) `file` on this thread; throws `seglet: database ... is in use` when locked. */
  constructor(file: string, settings: StoreSettings, worker?: Worker) {
    this.worker = worker ?? null;
    this.core = worker ? null : new SqliteCore(file, settings);
    // A reply is one answer or, after a merged group commit, an array of them.
    worker?.on('message', (m: Reply | Reply[]) => { for (const r of Array.isArray(m) ? m : [m]) this.settle(r); });
    // A thread that dies (out of memory, a fatal error, terminated) never answers again: fail
    // what waits and everything after, or each beacon's request would hang open for good.
    worker?.on('error', (e) => { this.fail(`seglet: the database thread failed: ${e.message}`); });
    worker?.on('exit', () => { this.fail('seglet: the database thread stopped'); });
  }

  private fail(message: string): void {
    this.dead ??= new Error(message);
    for (const c of this.calls.values()) c.reject(this.dead);
    this.calls.clear();
  }

  /** Opens `file` in a worker thread when the built worker is available, else on this thread. */
  static async open(file: string, settings: StoreSettings): Promise<SqliteStore> {
    const url = workerUrl();
    if (!url) return new SqliteStore(file, settings);
    // No inherited execArgv: flags meant for the main script (e.g. --input-type) break a worker.
    const worker = new Worker(url, { workerData: { file, settings }, execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))));
      worker.once('error', reject);
    }).catch(async (e: unknown) => { await worker.terminate(); throw e; });
    return new SqliteStore(file, settings, worker);
  }

  private settle(r: Reply): void {
    const call = this.calls.get(r.id);
    this.calls.delete(r.id);
    if (r.error !== undefined) call?.reject(new Error(r.error));
    else call?.resolve(r.result);
  }

  private call<T>(op: Op, ...args: unknown[]): Promise<T> {
    if (this.core) {
      try {
        return Promise.resolve((this.core[op] as (...a: unknown[]) => T)(...args));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    if (this.dead) return Promise.reject(this.dead);
    const id = this.seq++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker?.postMessage({ id, op, args });
    });
  }

  apply(beacon: Beacon, now: number): Promise<ApplyOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ beacon, now, resolve, reject });
      if (!this.scheduled) { this.scheduled = true; setImmediate(() => { this.flush(); }); }
    });
  }

  /** Sends this turn's beacons; with a worker, a commit may still be running (it queues them). */
  private flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    this.unsettled++;
    void this.call<ApplyOutcome[]>('applyGroup', group.map(({ beacon, now }) => ({ beacon, now }))).then(
      (outcomes) => { group.forEach((p, i) => p.resolve(outcomes[i] ?? 'applied')); },
      (e: unknown) => { for (const p of group) p.reject(e); },
    ).finally(() => { this.unsettled--; });
  }

  forget(anonymousId: string, now: number): Promise<void> { return this.call('forget', anonymousId, now); }
  profile(anonymousId: string, now: number): Promise<Profile | null> { return this.call('profile', anonymousId, now); }
  segments(days: number, now: number): Promise<SegmentStats[]> { return this.call('segments', days, now); }
  takeWebhooks(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]> { return this.call('takeWebhooks', now, limit, leaseMs); }
  settleWebhook(job: WebhookJob, retryAt: number | null): Promise<void> { return this.call('settleWebhook', job, retryAt); }
  /**
   * In steps, each its own transaction, so beacons that arrive meanwhile are committed between
   * them. Stops before its next step once `signal` is aborted or the store is closing. A step
   * starts at a few dozen rows of each kind and is sized by the last one's time (see
   * `nextPurgeLimit`): fixed at 500, the first steps of a large purge took 50-80 ms each here (a
   * cold cache), and a beacon waited that long.
   */
  async purge(now: number, signal?: AbortSignal): Promise<void> {
    let limit = PURGE_FIRST;
    while (!signal?.aborted && !this.closing) {
      const started = performance.now();
      if (!(await this.call<boolean>('purge', now, limit))) return;
      limit = nextPurgeLimit(limit, performance.now() - started);
      // On this thread, the requests that arrived meanwhile need a turn of the event loop.
      if (this.core) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  close(): Promise<void> {
    // Once: a second call must not post to a worker that is already gone (it would never answer).
    this.closing ??= (async () => {
      while (this.scheduled || this.unsettled > 0) await new Promise((r) => setImmediate(r));
      // A dead thread has released the database already: nothing left to close but the handle.
      await this.call('close').catch((e: unknown) => { if (!this.dead) throw e; });
      await this.worker?.terminate();
    })();
    return this.closing;
  }
}
