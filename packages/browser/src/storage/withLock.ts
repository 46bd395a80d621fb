const chains = /*#__PURE__*/ new Map<string, Promise<unknown>>();

/**
 * Runs `task` under the exclusive Web Lock `name`, so deletions (retention, eviction, forget) of
 * different tabs never interleave. Where `navigator.locks` is absent (old browsers, insecure
 * contexts) the lock only serialises this page's own tasks: batches are write-once under their
 * own keys, so the worst cross-tab race left is two tabs deleting the same expired events.
 */
export function withLock<T>(locks: LockManager | null | undefined, name: string, task: () => Promise<T>): Promise<T> {
  if (locks && typeof locks.request === 'function') {
    try {
      return locks.request(name, { mode: 'exclusive' }, task) as Promise<T>;
    } catch {
      // A throwing implementation falls through to the in-page chain.
    }
  }
  const previous = chains.get(name) ?? Promise.resolve();
  const next = previous.then(task, task);
  const tail = next.catch(() => undefined);
  chains.set(name, tail);
  void tail.then(() => { if (chains.get(name) === tail) chains.delete(name); });
  return next;
}
