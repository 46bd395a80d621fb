/**
 * What the event store needs from a key-value backend. IndexedDB and memory implement it alike,
 * so every rule of the log (ids, batches, retention, eviction) is written once.
 */
export interface Backend {
  /** Every key and value, in one read. */
  readAll(): Promise<[string, unknown][]>;
  get(key: string): Promise<unknown>;
  /** Puts and deletes in one transaction, committed at once. */
  write(puts: readonly [string, unknown][], deletes?: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

/** The fallback backend: a Map for this page's life. */
export function createMemoryBackend(): Backend {
  const map = new Map<string, unknown>();
  return {
    readAll: () => Promise.resolve([...map]),
    get: (key) => Promise.resolve(map.get(key)),
    write: (puts, deletes = []) => {
      for (const key of deletes) map.delete(key);
      // Copies, like IndexedDB, so later changes to an appended object never alter the log.
      for (const [key, value] of puts) map.set(key, typeof structuredClone === 'function' ? structuredClone(value) : value);
      return Promise.resolve();
    },
    clear: () => { map.clear(); return Promise.resolve(); },
    close: () => undefined,
  };
}
