import type { Backend } from './backend.js';
import { collectRecords, effectiveRetain, planLog, rewriteBatches } from './records.js';
import type { RetainOption } from './types.js';
import { withLock } from './withLock.js';

/** True for the error IndexedDB reports when the origin is out of quota. */
export const isQuotaError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';

/** Where and how a cleanup runs. */
export interface CleanupContext {
  backend: Backend;
  locks: LockManager | null | undefined;
  lockName: string;
  retain: RetainOption | undefined;
  now: number;
}

/**
 * The one deletion path, under the Web Lock: duplicates, events past retention, corrupt records,
 * then `evict(remaining)` oldest of what is left. Batches are rewritten without the dropped
 * events, so another tab's batches are only ever changed here, serialised by the lock.
 */
export function cleanupLog(ctx: CleanupContext, evict: (remaining: number) => number = () => 0): Promise<{ dropped: number; kept: number }> {
  return withLock(ctx.locks, ctx.lockName, async () => {
    const collected = collectRecords(await ctx.backend.readAll());
    const limits = effectiveRetain(ctx.retain);
    const retained = planLog(collected.located, ctx.now, limits).kept.length;
    const plan = planLog(collected.located, ctx.now, limits, evict(retained));
    const { puts, deletes } = rewriteBatches(collected, plan.dropped);
    if (puts.length > 0 || deletes.length > 0) {
      try {
        await ctx.backend.write(puts, deletes);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        // Rewriting a batch needs room; deleting whole batches only frees it.
        await ctx.backend.write([], [...deletes, ...puts.map(([key]) => key)]);
      }
    }
    return { dropped: plan.dropped.length, kept: plan.kept.length };
  });
}

/** Eviction rounds on quota errors: 20%, 40%, 80%, then everything; a full store needs room for a while. */
const EVICT_FRACTIONS = [0.2, 0.4, 0.8, 1];

/**
 * Writes, and on `QuotaExceededError` evicts the oldest events (at least `size`) and retries, each
 * round evicting more. `wanted()` false (cleared or closed meanwhile) abandons the write.
 * Resolves `true` once written, `false` when the quota cannot hold it even with the log emptied.
 */
export async function writeEvictingOldest(
  write: () => Promise<void>, evict: (count: (remaining: number) => number) => Promise<unknown>, size: number, wanted: () => boolean,
): Promise<boolean> {
  for (const fraction of EVICT_FRACTIONS) {
    await evict((remaining) => Math.max(size, Math.ceil(remaining * fraction)));
    if (!wanted()) return true;
    try {
      await write();
      return true;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
  }
  return false;
}
