/** The Web Lock that makes one tab of the origin send at a time (runtime spec, section 7). */
export const BEACON_LOCK = 'seglet:beacon';

/**
 * Runs `task` only if the exclusive lock `name` is free right now (`ifAvailable`), resolving true
 * when it ran and false when another holder (another tab, or this page) has it. Without
 * `navigator.locks` the caller's in-page flag `local` stands in (one beacon per page): it keeps the
 * page to one request in flight but cannot see other tabs, so there each tab sends its own
 * batches (the collector de-duplicates). `task` must not reject.
 */
export async function tryExclusive(
  locks: LockManager | null | undefined, name: string, local: { held: boolean }, task: () => Promise<void>,
): Promise<boolean> {
  if (locks && typeof locks.request === 'function') {
    try {
      return await locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await task();
        return true;
      });
    } catch {
      // A throwing implementation falls through to the in-page flag.
    }
  }
  if (local.held) return false;
  local.held = true;
  try {
    await task();
    return true;
  } finally {
    local.held = false;
  }
}
