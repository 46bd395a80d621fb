/** Why a database could not be opened: `timeout` (no answer in time) or `unavailable` (missing, refused, failed). */
export type OpenFailure = { kind: 'timeout' | 'unavailable'; cause?: unknown };

/**
 * Opens `name` with one object store `storeName`, settling within `timeoutMs`.
 * A connection that arrives after the timeout is closed and ignored for the page's life, so a
 * slow browser never leaves a second, unmanaged connection behind (it would block upgrades).
 * `indexedDB.open` throwing synchronously (sandboxed frames, disabled storage) is a failure, not a throw.
 */
export function openDatabase(
  factory: IDBFactory | null | undefined, name: string, storeName: string, timeoutMs: number,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (!factory) { reject({ kind: 'unavailable' } satisfies OpenFailure); return; }
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      reject({ kind: 'timeout' } satisfies OpenFailure);
    }, timeoutMs);
    const fail = (cause: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject({ kind: 'unavailable', cause } satisfies OpenFailure);
    };
    const attempt = (version?: number): void => {
      let request: IDBOpenDBRequest;
      try {
        request = version === undefined ? factory.open(name) : factory.open(name, version);
      } catch (error) {
        fail(error);
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(storeName)) db.createObjectStore(storeName);
      };
      request.onsuccess = () => {
        const db = request.result;
        if (settled) { db.close(); return; }
        // A database created by something else without our store: upgrade once to add it.
        if (!db.objectStoreNames.contains(storeName)) {
          const next = db.version + 1;
          db.close();
          if (version === undefined) attempt(next);
          else fail(new Error(`seglet: object store ${storeName} missing`));
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve(db);
      };
      request.onerror = () => fail(request.error);
      // `blocked` only happens on our own upgrade; the timeout covers a tab that never lets go.
    };
    attempt();
  });
}

/** Type guard for the rejection value of `openDatabase`. */
export function isOpenFailure(value: unknown): value is OpenFailure {
  return typeof value === 'object' && value !== null && 'kind' in value;
}
