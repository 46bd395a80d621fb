/** A bounded set of recently seen event ids (oldest forgotten first). */
export interface SeenIds {
  /** Records `id`; true when it was not seen before, i.e. the event should be applied. */
  add(id: string): boolean;
  has(id: string): boolean;
  clear(): void;
}

/**
 * Lets a tab apply each event once whether it came over the channel, from `load()` on
 * `pageshow`, or both. `limit` (or what it returns, read as ids come in, since the rules that
 * set it may arrive late) must be at least the number of events the store can hold.
 */
export function createSeenIds(limit: number | (() => number) = 20_000): SeenIds {
  const ids = new Set<string>();
  const max = typeof limit === 'number' ? () => limit : limit;
  return {
    add(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      // Sets iterate in insertion order, so the first key is the oldest.
      if (ids.size > max()) ids.delete(ids.values().next().value as string);
      return true;
    },
    has: (id) => ids.has(id),
    clear: () => ids.clear(),
  };
}
