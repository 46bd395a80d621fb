import { promisifyRequest, type UseStore } from 'idb-keyval';
import type { Backend } from './backend.js';
import { openDatabase } from './openDatabase.js';

/** Stands for a value IndexedDB could not read back (it fails every shape check, so it is discarded). */
export const UNREADABLE = /*#__PURE__*/ Symbol('unreadable');

const STORE = 'kv';

/**
 * An IndexedDB backend on idb-keyval's `promisifyRequest` with our own `UseStore` instead of
 * `createStore`, which has no open timeout, ignores `versionchange` (blocking other tabs'
 * upgrades), never reconnects and throws synchronously where `indexedDB` is missing. Its reads
 * are written here, not imported: each of `get`, `keys`, `entries` and `clear` falls back to
 * idb-keyval's default store, which then came into the script tag unused (about 220 B gzipped).
 *
 * Resolves once the first connection is open (rejects with an `OpenFailure`). Afterwards a closed
 * connection (`versionchange`, `close`, a transaction refused as closing) is reopened on next use.
 */
export async function createIdbBackend(factory: IDBFactory | null | undefined, name: string, timeoutMs: number): Promise<Backend> {
  let db: IDBDatabase | null = await openDatabase(factory, name, STORE, timeoutMs);
  let reopening: Promise<IDBDatabase> | null = null;
  let closed = false;

  const adopt = (conn: IDBDatabase): IDBDatabase => {
    const drop = (): void => {
      // Another tab wants to upgrade or delete the database: let it, and reconnect lazily.
      conn.close();
      if (db === conn) db = null;
    };
    conn.onversionchange = drop;
    conn.onclose = drop;
    db = conn;
    return conn;
  };
  adopt(db);

  const connection = (): IDBDatabase | Promise<IDBDatabase> => {
    if (closed) return Promise.reject(new Error('seglet: store closed'));
    if (db) return db;
    reopening ??= openDatabase(factory, name, STORE, timeoutMs).then(
      (conn) => { reopening = null; if (closed) { conn.close(); throw new Error('seglet: store closed'); } return adopt(conn); },
      (failure: unknown) => { reopening = null; throw failure; },
    );
    return reopening;
  };

  const run = <T>(conn: IDBDatabase, mode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>, retry: boolean): Promise<T> => {
    let tx: IDBTransaction;
    try {
      tx = conn.transaction(STORE, mode);
    } catch (error) {
      // InvalidStateError: the connection is closing under us; reopen once.
      if (db === conn) db = null;
      if (!retry) return Promise.reject(error);
      return Promise.resolve(connection()).then((next) => run(next, mode, callback, false));
    }
    const done = new Promise<void>((resolve, reject) => {
      tx.addEventListener('complete', () => resolve());
      tx.addEventListener('abort', () => reject(tx.error ?? new DOMException('seglet: transaction aborted', 'AbortError')));
    });
    done.catch(() => undefined);
    let result: Promise<T>;
    try {
      result = Promise.resolve(callback(tx.objectStore(STORE)));
    } catch (error) {
      result = Promise.reject(error);
    }
    // Writes never wait for the task to end: commit right after the puts were issued.
    if (mode === 'readwrite') {
      try { tx.commit(); } catch { /* already committing or aborted: `done` tells */ }
    }
    // Report the transaction's own error (e.g. QuotaExceededError), not a bare request error.
    return result.then((value) => done.then(() => value), () => done.then(() => { throw new Error('seglet: IndexedDB request failed'); }));
  };

  const useStore: UseStore = (mode, callback) => {
    const conn = connection();
    return conn instanceof Promise ? conn.then((c) => run(c, mode, callback, true)) : run(conn, mode, callback, true);
  };

  const get = (key: string): Promise<unknown> => useStore('readonly', (store) => promisifyRequest(store.get(key)));
  // getAll and getAllKeys (IndexedDB 2.0) are in every engine that runs this ES2022 code: no cursor fallback.
  const allKeys = (store: IDBObjectStore): Promise<string[]> => promisifyRequest(store.getAllKeys() as IDBRequest<string[]>);

  return {
    // One read normally; if a single undeserialisable value fails it, read key by key so only that record is lost.
    readAll: () => useStore('readonly', (store) => Promise.all([allKeys(store), promisifyRequest(store.getAll())]))
      .then(([all, values]) => all.map((key, i): [string, unknown] => [key, values[i]]))
      .catch(async () => {
        const all: [string, unknown][] = [];
        for (const key of await useStore('readonly', allKeys)) all.push([key, await get(key).catch(() => UNREADABLE)]);
        return all;
      }),
    get,
    write: (puts, deletes = []) => useStore('readwrite', (store) => {
      for (const key of deletes) store.delete(key);
      for (const [key, value] of puts) store.put(value, key);
      return promisifyRequest(store.transaction);
    }),
    clear: () => useStore('readwrite', (store) => {
      store.clear();
      return promisifyRequest(store.transaction);
    }),
    close: () => {
      closed = true;
      db?.close();
      db = null;
    },
  };
}
