import { SegletError, type SegletErrorCode } from '@seglet/core';
import { randomId } from '../facade/randomId.js';
import { createMemoryBackend, type Backend } from './backend.js';
import { createIdbBackend } from './createIdbBackend.js';
import { isOpenFailure } from './openDatabase.js';
import { cleanupLog, fits, usage, writeEvictingOldest, type CleanupContext } from './cleanupLog.js';
import { MERGE_MIN, SMALL_BATCH } from './mergeSmallBatches.js';
import { behind, collectRecords, effectiveRetain, EVENT_PREFIX, GENERATION_KEY, HORIZON_KEY, later, META_PREFIX, newerRetain, SEAL_KEY, orderLog, planLog, retainNews, rewriteBatches, type BatchRecord, type RetainMark } from './records.js';
import type { AppendEvent, EventStore, EventStoreOptions, StorageMode, StoredEvent } from './types.js';
import { withLock } from './withLock.js';

/**
 * The next batch number of each (database, tab id), page-wide: the facade opens a new store under
 * the same tab id when consent is granted again (granted, pending, granted), and a store that
 * restarted at `e/<tab>/0` overwrote the batches the first one had written, losing their events.
 */
const batchSeqs = /*#__PURE__*/ new Map<string, number>();

/** Small records that make `load()` start a merging cleanup: a few hundred cost a restore noticeably more than a few records. */
const MERGE_ON_LOAD = MERGE_MIN * 8;

/** The database name `openEventStore` uses unless told otherwise. */
export const DB_NAME = 'seglet';

/**
 * Creates the persisted event log of this page (see `EventStore`). Batches live under their own
 * keys (`e/<tab>/<n>`), so tabs never read-modify-write shared state; only deletions rewrite
 * batches, and they run under the Web Lock `<name>:store`.
 *
 * Seams for the facade: create it only once consent is granted; pass the same `tabId` to
 * `createTabChannel` users; broadcast what `append` returns; call `prune(rules.retain)` on a rule
 * change, `clear()` on forget/denied (then `close()`), `flush()` from `pagehide`, `load()` at
 * start-up and on `pageshow` with `persisted`.
 */
export function openEventStore(options: EventStoreOptions = {}): EventStore {
  const name = options.name ?? DB_NAME;
  const tabId = options.tabId ?? randomId();
  const now = options.now ?? Date.now;
  const lockName = `${name}:store`;
  const locks = (): LockManager | null | undefined =>
    options.locks !== undefined ? options.locks : (globalThis.navigator as Navigator | undefined)?.locks;
  let own: RetainMark = { at: options.rulesAt ?? 0, ...effectiveRetain(options.retain) };
  /** What the log keeps, as last read: the retention of the newest rule set any tab got (see `RETAIN_KEY`). */
  let limits = own;
  let mode: StorageMode = 'memory';
  let opening: Promise<Backend> | null = null;
  let backend: Backend | null = null;
  let ready: Promise<StorageMode> | null = null;
  let closed = false;
  let seq = 0;
  const seqKey = `${name}\n${tabId}`;
  let generation = 0;
  let pending: StoredEvent[] = [];
  let unsaved: StoredEvent[] = [];
  let scheduled = false;
  let count: number | null = null;
  /** Events this page has committed, to keep `count` exact across a cleanup. */
  let written = 0;
  let pruning = false;
  /**
   * This page's last batch writes, as issued: another tab's forget() may have cleared the store
   * before this page heard of it, and these writes then landed after that clear: `clear(true)`
   * deletes their events (the forgotten profile's last ones) by id, wherever they are now: a
   * cleanup since (of this tab or another) may have merged them into a record under a new key.
   */
  let recent: BatchRecord[] = [];
  /** The clear() in progress, if any: writes of events appended after it wait for it. */
  let clearing: Promise<unknown> | null = null;
  const inflight = new Set<Promise<unknown>>();
  const reported = new Set<string>();
  /**
   * Quota eviction runs only while the usage is below this: the usage at which the last one made
   * no room (so no more evicting for nothing until something frees space), else Infinity.
   */
  let evictBelow = Infinity;
  /** The horizon this page's eviction deleted up to and could not store yet (see `cleanupLog`). */
  let owed: StoredEvent | undefined;
  /** The quota retries of this page, one at a time: a write that failed meanwhile retries after the eviction before it. */
  let evicting: Promise<unknown> = Promise.resolve();
  /**
   * The batches of the writes waiting in `evicting` (an empty one for a meta write): each eviction
   * counts them all in, not only the one it writes (see `CleanupContext.batches`), and a write
   * issued meanwhile queues behind them, not first. Written first, a newer batch was stored while
   * this page's older ones waited in memory, where another tab's eviction cannot count them: it
   * deleted the newer batch and the older ones stayed.
   */
  const waiting = new Set<BatchRecord>();
  /**
   * Batches handed to a write that has not started, with their generation (see `unwritten`): the
   * database still opening, or a clear() to wait for (forget() then track(), and the page went).
   */
  const deferred = new Map<StoredEvent[], number>();
  /**
   * The batches being written, with their generation: a page leaving now may lose them (see
   * `unwritten`): a write started as the page goes is lost on same-tab navigation in Chromium, and
   * one retrying what a full quota held (`unsaved`) fails again.
   */
  const writing = new Map<BatchRecord, number>();

  const report = (code: SegletErrorCode, message: string, cause?: unknown, once = false): void => {
    if (once && reported.has(code)) return;
    reported.add(code);
    try { options.onError?.(new SegletError(code, message, { cause })); } catch { /* a host handler never breaks storage */ }
  };
  const track = <T>(work: Promise<T>): Promise<T | undefined> => {
    // A failure because close() shut the connection under a call in flight is not a storage failure.
    const safe = work.catch((error: unknown) => { if (!closed) report('storage_unavailable', 'storage operation failed', error, true); return undefined; });
    inflight.add(safe);
    void safe.then(() => inflight.delete(safe));
    return safe;
  };

  const start = (): Promise<Backend> => {
    opening ??= (async (): Promise<Backend> => {
      await options.after?.catch(() => undefined);
      if (options.storage === 'memory') return createMemoryBackend();
      try {
        const factory = options.indexedDB !== undefined ? options.indexedDB : globalThis.indexedDB;
        const idb = await createIdbBackend(factory, name, options.openTimeoutMs ?? 3000);
        mode = 'indexeddb';
        return idb;
      } catch (failure) {
        if (isOpenFailure(failure) && failure.kind === 'timeout') {
          report('storage_timeout', 'IndexedDB did not open within the timeout; continuing in memory');
        } else {
          report('storage_unavailable', 'IndexedDB is unavailable; continuing in memory', isOpenFailure(failure) ? failure.cause : failure, true);
        }
        return createMemoryBackend();
      }
    })().then((b) => { if (closed) b.close(); backend = b; return b; });
    return opening;
  };

  const nextKey = (): string => {
    const n = batchSeqs.get(seqKey) ?? 0;
    batchSeqs.set(seqKey, n + 1);
    return `${EVENT_PREFIX}${tabId}/${n}`;
  };
  /**
   * With `read` (a load's, and `written`, what this tab had written by then), no second read when
   * nothing changed since; with `batch`, that batch takes part in the eviction (see `CleanupContext`).
   */
  const cleanup = async (b: Backend, evict?: (remaining: number) => number, more?: Partial<CleanupContext> & { written?: number }): Promise<number> => {
    let mark = more?.written ?? written;
    // A clear() since this call (forget(), consent denied) erased the profile: the horizon, an
    // event's time and id, is not written back, nor owed again.
    const gen = generation;
    const horizon = { get: () => (gen === generation ? owed : undefined), set: (h?: StoredEvent) => { if (gen === generation) owed = h; } };
    const result = await cleanupLog({ backend: b, locks: locks(), lockName, retain: own, now: now(), nextKey, onRead: () => { mark = written; }, owed: horizon, ...more }, evict);
    limits = result.limits;
    // This tab's writes committed after the read are not in `kept` (one in flight, or the events a
    // `batch` keeps, may be counted twice: it prunes a little early).
    count = result.kept + (written - mark);
    return result.dropped;
  };

  /**
   * `added` more events in the log, this page's or another tab's: a cleanup once past the bound and
   * its slack, or to store an owed horizon (a write went through: there may be room now).
   */
  const grow = (b: Backend, added: number): void => {
    if (count === null) return;
    count += added;
    const limit = limits.events;
    if (pruning || (!owed && count <= limit + Math.max(100, limit / 10))) return;
    pruning = true;
    void track(cleanup(b)).then(() => { pruning = false; });
  };

  const counted = (b: Backend, added: number): void => {
    written += added;
    grow(b, added);
  };

  /**
   * Writes; on a quota error (`storage_quota`, reported once until a batch is written again) waits
   * for this page's eviction in progress (a write issued while others wait queues behind them at
   * once, so this page's batches are written in order), retries, then evicts the oldest events and
   * retries (`writeEvictingOldest`) unless barred (`evictBelow`). True once written (or abandoned).
   */
  const fit = async (b: Backend, write: () => Promise<void>, wanted: () => boolean, size = 1, batch: BatchRecord = { v: 1, events: [] }): Promise<boolean> => {
    if (!waiting.size) {
      if (await fits(write)) return true;
      report('storage_quota', 'storage quota exceeded; evicting the oldest events', undefined, true);
    }
    waiting.add(batch);
    const run = evicting.then(async () => {
      if (!wanted() || (await fits(write))) return true;
      if (!(((await usage()) ?? 0) < evictBelow)) return false;
      const done = await writeEvictingOldest(write, (evict) => cleanup(b, evict, { batches: [...waiting] }), size, wanted);
      evictBelow = typeof done == 'number' ? done : Infinity;
      return done === true;
    });
    evicting = run.catch(() => undefined).then(() => waiting.delete(batch));
    return run;
  };

  const writeBatch = async (b: Backend, batch: StoredEvent[], gen: number): Promise<void> => {
    if (gen !== generation || closed) return;
    const key = nextKey();
    const record: BatchRecord = { v: 1, events: batch };
    if (recent.push(record) > 64) recent.shift();
    writing.set(record, gen);
    // Not counted once a clear() was called (erased with the rest): its cleanup, past the bound,
    // ran after the clear and stored the retention note and a token after a denial's erase.
    const write = async (): Promise<void> => { await b.write([[key, record]]); reported.delete('storage_quota'); if (gen === generation) counted(b, record.events.length); };
    let ok = false;
    try {
      // The batch is evicted by time with the stored events: another tab's newer batches never go
      // before it. What it keeps is written; once all of it went, nothing is.
      ok = await fit(b, write, () => gen === generation && !closed && record.events.length > 0, batch.length, record);
    } catch (error) {
      report('storage_unavailable', 'an IndexedDB write failed; it will be retried', error, true);
    }
    writing.delete(record);
    // Not written: kept for the next write or flush, bounded so a dead or full database cannot grow memory forever.
    if (!ok && gen === generation) unsaved = unsaved.concat(record.events).slice(-limits.events);
  };

  const writePending = (): void => {
    scheduled = false;
    if (closed || (pending.length === 0 && unsaved.length === 0)) return;
    const batch = unsaved.concat(pending);
    pending = [];
    unsaved = [];
    const gen = generation;
    // Appended after a clear() call: written once the clear has committed. Its transaction opens a
    // few microtasks later (after the lock), so a write started at once was erased with the rest
    // (forget() then track() in one task lost the event tracked under the new identity).
    const after = clearing;
    if (backend && !after) void track(writeBatch(backend, batch, gen));
    else {
      deferred.set(batch, gen);
      void track((after ?? Promise.resolve()).then(start).then((b) => {
        deferred.delete(batch);
        return writeBatch(b, batch, gen);
      }));
    }
  };

  const flush = async (): Promise<void> => {
    // Also retries writes that failed earlier (a dropped connection), so `flush()` means committed when it can.
    if (scheduled || unsaved.length > 0) writePending();
    // And stores a horizon an eviction owes (see `owed`) if there is room now.
    if (backend) grow(backend, 0);
    while (inflight.size > 0) await Promise.all([...inflight]);
  };

  return {
    tabId,
    get mode() { return mode; },
    get ready() { return (ready ??= start().then(() => mode)); },

    append(events) {
      const stamped = events.map((e: AppendEvent): StoredEvent => {
        const event: StoredEvent = {
          id: typeof e.id === 'string' && e.id.length > 0 ? e.id : `${tabId}:${seq++}`,
          type: e.type,
          t: typeof e.t === 'number' && Number.isFinite(e.t) ? e.t : now(),
        };
        if (e.props !== undefined) event.props = e.props;
        return event;
      });
      if (closed || stamped.length === 0) return stamped;
      pending.push(...stamped);
      if (!scheduled) { scheduled = true; queueMicrotask(writePending); }
      void start();
      return stamped;
    },

    heard(n) {
      if (backend) grow(backend, n);
    },

    async load() {
      if (closed) return [];
      const b = await start();
      await flush();
      let all: [string, unknown][];
      const mark = written;
      const gen = generation;
      try {
        all = await b.readAll();
      } catch (error) {
        // Not reported when close() (destroy, consent withdrawn) shut the connection during the read.
        if (!closed) report('storage_unavailable', 'reading IndexedDB failed', error, true);
        return orderLog(unsaved);
      }
      const collected = collectRecords(all);
      const bad = collected.corrupt.length + collected.droppedEvents;
      if (bad > 0) report('corrupt_data', `${bad} stored record(s) failed to parse and were discarded`);
      const horizon = later(owed, collected.horizon);
      const plan = planLog(collected.located, now(), (limits = newerRetain(own, collected.retain)), 0, undefined, horizon);
      count = plan.kept.length;
      // Many small records make every restore slow to read: a cleanup merges them (off this load's path).
      let small = 0;
      for (const events of collected.batches.values()) if (events.length < SMALL_BATCH) small++;
      // Not once a clear() (forget(), consent denied) came during the read: that cleanup, queued
      // behind it, stored this page's retention note (m/retain) and a token after a denial's erase.
      if (gen === generation && (plan.dropped.length > 0 || bad > 0 || small >= MERGE_ON_LOAD || retainNews(own, collected.retain))) void track(cleanup(b, undefined, { read: all, written: mark }));
      const kept = plan.kept.map((item) => item.event);
      // planLog has already de-duplicated and ordered what was read: sorting again is for this tab's unwritten events.
      return unsaved.length === 0 && pending.length === 0 ? kept : orderLog([...kept, ...unsaved, ...pending].filter((e) => !behind(e, horizon)));
    },

    async prune(next, drop, at) {
      // The cleanup below reads what the log keeps now.
      if (next !== undefined || at !== undefined) limits = own = { at: at ?? own.at, ...effectiveRetain(next) };
      if (closed) return 0;
      const b = await start();
      return (await track(cleanup(b, undefined, { drop }))) ?? 0;
    },

    async clear(elsewhere, seal, meta = [], onQueued) {
      generation++;
      owed = undefined;
      pending = [];
      unsaved = [];
      const mine = recent;
      recent = [];
      if (closed) return false;
      // In flight from this call on, not only once the backend is known: a `flush()` then `close()`
      // in the same task (forget() then destroy()) waits for it, where it closed the connection
      // first and the clear failed, leaving every event stored.
      // Asked for at once when the database is open. The forgetting tab tells the others from
      // `onQueued`: each then asks for the lock itself (to hold its writes until this clear is
      // done) and queues behind.
      const locked = (b: Backend): Promise<boolean> => {
        const held = withLock(locks(), lockName, async () => {
          if (elsewhere) {
            // Deleted after that tab's clear: they were issued before this call, so they land first.
            // By id, not by key: a cleanup between that clear and this one (asked for before this
            // page heard) may have merged them, with events of the new profile, into a new record.
            // So is the horizon: that clear deleted it, and one stored since is of an eviction this
            // page asked for before it heard, which counted its batches of the erased profile in.
            // And the generation token: a read from before this delete (a load's) is not reused
            // by a cleanup, which wrote a batch it deleted back (rewritten without an expired event).
            const ids = new Set(mine.flatMap((r) => r.events.map((e) => e.id)));
            const collected = collectRecords(await b.readAll());
            const { puts, deletes } = rewriteBatches(collected, collected.located.filter((l) => ids.has(l.event.id)));
            const gone = [...deletes, HORIZON_KEY, GENERATION_KEY];
            // A rewrite needs room, which a full quota does not have: the records holding erased
            // events then go whole, with the new profile's events merged into them.
            if (!(await fits(() => b.write(puts, gone)))) await b.write([], [...gone, ...puts.map(([key]) => key)]);
            return false;
          }
          if (seal && (await b.get(SEAL_KEY)) === seal) return false;
          await b.clear();
          // Deleted even when the note does not fit (a full quota gives back the space of what
          // was just deleted later): said false, an erase dropped the forget requests it keeps.
          if (seal && !(await fits(() => b.write([[SEAL_KEY, seal], ...meta.map(([k, v]): [string, unknown] => [META_PREFIX + k, v])])))) {
            report('storage_quota', 'storage quota exceeded', undefined, true);
          }
          return true;
        });
        // A query goes to the browser's lock manager on the same connection as the request, so
        // once it answers the request is queued there.
        if (onQueued) void Promise.resolve(locks()?.query?.()).then(onQueued, onQueued);
        return held;
      };
      // Not emptied here (another page's clear, or this one's done already, sealed): what this page
      // counted stays, too many rather than too few, so the next cleanup comes early and counts exactly.
      const done = track((backend ? locked(backend) : start().then(locked)).then((cleared) => { if (cleared) count = 0; return cleared; }));
      clearing = done;
      void done.then(() => { if (clearing === done) clearing = null; });
      return (await done) === true;
    },

    flush,

    unwritten() {
      if (closed) return [];
      // Not what a clear() since then dropped (forget(), consent denied).
      const current = <K>(map: Map<K, number>): K[] => [...map].filter(([, gen]) => gen === generation).map(([key]) => key);
      const batches = current(deferred).flat();
      // With the database open, also the batches being written and what a full quota held in memory.
      return backend ? [...batches, ...current(writing).flatMap((r) => r.events), ...unsaved] : [...batches, ...unsaved, ...pending];
    },

    async getMeta<T>(key: string) {
      if (closed) return undefined;
      const b = await start();
      return (await track(b.get(META_PREFIX + key))) as T | undefined;
    },

    async setMeta(key, value) {
      if (closed) return;
      // A value of the profile a clear() since then erased: one waiting on a full quota was
      // written after the erase (the forgotten anonymous id stored again).
      const gen = generation;
      const b = await start();
      await track(fit(b, () => b.write([[META_PREFIX + key, value]]), () => !closed && gen === generation));
    },

    close() {
      closed = true;
      pending = [];
      backend?.close();
    },
  };
}
