import { droppedByKey, sortStored, type BatchRecord, type Collected, type Located } from './records.js';
import type { StoredEvent } from './types.js';

/** Records to put and keys to delete, written in one transaction. */
type Rewrite = { puts: [string, BatchRecord][]; deletes: string[] };

/** A record keeping fewer events than this is small: a visit writes 1-5 events per task, a burst 10. */
export const SMALL_BATCH = 64;
/** Events per merged record: large enough that a restore reads few records, small enough to rewrite when its oldest events expire. */
export const MERGED_SIZE = 1000;
/** A cleanup merges once at least this many small records have gathered (each event is merged about once). */
export const MERGE_MIN = 32;

/**
 * Extends `plain`, what `rewriteBatches` planned for the same drop: it also moves the surviving events of small records (of every tab)
 * into records of up to `MERGED_SIZE` events in restore order, under fresh keys from `nextKey`
 * (this tab's key space, so no tab's own writes can collide). Reading thousands of one-event
 * records costs far more than reading the same events in a few records, and time-ordered merged
 * records let later prunes delete whole records. `null` when there are too few small records.
 * The puts and deletes must go in one transaction, under the store's lock, like every rewrite.
 */
export function mergeSmallBatches(
  collected: Collected, dropped: readonly Located[], nextKey: () => string, plain: Rewrite,
): Rewrite | null {
  const gone = droppedByKey(dropped);
  const small: string[] = [];
  for (const [key, events] of collected.batches) {
    const kept = events.length - (gone.get(key)?.size ?? 0);
    if (kept > 0 && kept < SMALL_BATCH) small.push(key);
  }
  if (small.length < MERGE_MIN) return null;
  const merged = new Set(small);
  const events: StoredEvent[] = [];
  for (const key of small) {
    const out = gone.get(key);
    (collected.batches.get(key) ?? []).forEach((event, index) => { if (!out?.has(index)) events.push(event); });
  }
  sortStored(events);
  const puts = plain.puts.filter(([key]) => !merged.has(key));
  for (let i = 0; i < events.length; i += MERGED_SIZE) puts.push([nextKey(), { v: 1, events: events.slice(i, i + MERGED_SIZE) }]);
  return { puts, deletes: [...plain.deletes, ...small] };
}
