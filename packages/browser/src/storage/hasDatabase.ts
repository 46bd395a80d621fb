/**
 * Whether the origin may hold the IndexedDB database `name`: false only when the browser lists its
 * databases and `name` is not among them. An erase with nothing to erase then opens nothing (opening
 * would create an empty database, a trace of its own). Never rejects.
 */
export async function hasDatabase(name: string): Promise<boolean> {
  try {
    // The factory the store opens (openEventStore's default).
    return (await globalThis.indexedDB.databases()).some((d) => d.name === name);
  } catch {
    // No `databases()` (older engines), no IndexedDB, or blocked: erase as before.
    return true;
  }
}
