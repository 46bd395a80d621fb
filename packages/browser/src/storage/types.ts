import type { Duration, Props, SegletError } from '@seglet/core';

/** Where the event log lives: IndexedDB, or this page's memory when IndexedDB is unusable. */
export type StorageMode = 'indexeddb' | 'memory';

/**
 * One event of the stored log. `id` is `<tabId>:<sequence>`, unique across tabs and page loads,
 * so a log merged from several tabs (or received twice over BroadcastChannel) is de-duplicated by it.
 */
export interface StoredEvent {
  id: string;
  type: string;
  /** Milliseconds since the epoch; always set once stored. */
  t: number;
  props?: Props;
}

/** An event handed to `append`: a plain event (stamped with a fresh id), or one that already has an id. */
export interface AppendEvent {
  type: string;
  t?: number;
  props?: Props;
  /** Kept as is when present (e.g. events recorded in memory before consent, then persisted). */
  id?: string;
}

/** The rule set's `retain` block; the store keeps the larger of it and the defaults (10,000 events, 90 d). */
export interface RetainOption {
  events?: number;
  for?: Duration;
}

/** Options of `openEventStore`. Only `onError` is usually needed; the rest exist for the facade and tests. */
export interface EventStoreOptions {
  /** IndexedDB database name; default `'seglet'`. Also names the Web Lock (`<name>:store`). */
  name?: string;
  /** `'memory'` never touches IndexedDB. Default `'indexeddb'` (memory fallback, reported). */
  storage?: StorageMode;
  /** This page's tab id, the prefix of every event id; default a random id. Share it with the tab channel. */
  tabId?: string;
  /** Retention of the rule set; can be changed later through `prune(retain)`. */
  retain?: RetainOption;
  /**
   * When this page got that rule set (ms since the epoch; default 0, none yet). The log keeps the
   * retention of the rule set got last by any tab: a tab open across a deploy prunes no shorter.
   */
  rulesAt?: number;
  /** How long `indexedDB.open` may take before the store continues in memory; default 3000 ms. */
  openTimeoutMs?: number;
  /** Every problem ends here (`storage_unavailable`, `storage_timeout`, `storage_quota`, `corrupt_data`); nothing throws. */
  onError?: (error: SegletError) => void;
  /**
   * Nothing is read or written before this settles: the erasing of an earlier store of this page
   * (consent denied, forget), which would otherwise take this store's first writes with it.
   */
  after?: Promise<unknown>;
  /** Clock for retention; default `Date.now`. */
  now?: () => number;
  /** Injection points for tests; default `globalThis.indexedDB` / `navigator.locks`. `null` means absent. */
  indexedDB?: IDBFactory | null;
  locks?: LockManager | null;
}

/**
 * The persisted event log of one page. Opening is lazy: nothing touches IndexedDB until a method
 * or `ready` is used, so the facade simply does not create the store while consent is pending or denied.
 * No method throws or rejects; failures go to `onError` and the store degrades (memory, dropped write).
 */
export interface EventStore {
  /** This store's tab id (prefix of the ids it assigns). */
  readonly tabId: string;
  /** Current backend; `'memory'` until `ready` settles on IndexedDB or after a fallback. */
  readonly mode: StorageMode;
  /** Settles once the backend is known: `'indexeddb'`, or `'memory'` (unavailable, or open took over 3 s). Never rejects. */
  readonly ready: Promise<StorageMode>;
  /**
   * The whole stored log: written events of every tab plus this tab's unwritten ones, each id once,
   * ordered by (t, tab id, sequence), trimmed to retention. Corrupt records are dropped and reported.
   */
  load(): Promise<StoredEvent[]>;
  /**
   * Counts `n` events another tab wrote to the same database (heard over the tab channel): each
   * page counted only its own writes, so N open tabs grew the log to N times its bound and slack
   * before any cleanup.
   */
  heard(n: number): void;
  /**
   * Stamps the events with ids (and `t = now()` when missing) and queues them; the first append of a
   * task queues a microtask that writes the batch in one transaction, committed at once. Returns the
   * stamped events synchronously, to broadcast to other tabs.
   */
  append(events: readonly AppendEvent[]): StoredEvent[];
  /**
   * Deletes events beyond retention (under the Web Lock), and those with an id in `drop` (stored
   * events the engine rejects, which every load would report again); resolves with the number removed.
   * `retain` and `at` replace the page's rule set retention and the time it was got (`rulesAt`).
   */
  prune(retain?: RetainOption, drop?: readonly string[], at?: number): Promise<number>;
  /**
   * Deletes everything stored (events and meta) and drops unwritten events; for `forget()` and
   * consent `denied`. `elsewhere`: another tab is deleting (its forget() was heard here): only
   * drops unwritten events, deletes this page's last batch writes, and holds later writes until
   * that tab's deletion, which told this one once its request for the Web Lock was queued, is
   * done. `seal`: the erase's note token, stored with the `meta` given in the same hold of the
   * lock; a clear sealed with a token already stored deletes nothing (that erase is done: a page
   * loaded during it, finishing its note, erased again what was stored after it). `onQueued` runs
   * once the browser has queued the request for the lock. Resolves true when it deleted.
   */
  clear(elsewhere?: boolean, seal?: string, meta?: readonly [string, unknown][], onQueued?: () => void): Promise<boolean>;
  /** Resolves once every event appended so far is committed (or its failure reported). */
  flush(): Promise<void>;
  /**
   * What a page leaving now may lose (the facade stashes it, see `stashEvents`): the appended
   * events no write has been issued for, the database being still open(ing) or a clear() still
   * running; the batches being written; and the events a full quota holds in memory. Never what a
   * clear() since then dropped.
   */
  unwritten(): StoredEvent[];
  /** Small persisted values beside the log (e.g. the last acknowledged membership set, queued beacons). */
  getMeta<T = unknown>(key: string): Promise<T | undefined>;
  setMeta(key: string, value: unknown): Promise<void>;
  /** Closes the connection; later calls are no-ops (append still stamps, nothing is written). */
  close(): void;
}
