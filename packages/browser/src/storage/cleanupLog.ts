import type { Backend } from './backend.js';
import type { StoredEvent } from './types.js';
import { mergeSmallBatches } from './mergeSmallBatches.js';
import { collectRecords, DEFAULT_RETAIN, GENERATION_KEY, HORIZON_KEY, later, newerRetain, planLog, RETAIN_KEY, retainNews, rewriteBatches, type BatchRecord, type RetainMark } from './records.js';
import { withLock } from './withLock.js';

/** True for the error IndexedDB reports when the origin is out of quota. */
export const isQuotaError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';

/** Where and how a cleanup runs. */
export interface CleanupContext {
  backend: Backend;
  locks: LockManager | null | undefined;
  lockName: string;
  /** This page's retention and when it got its rules (see `RETAIN_KEY`); `undefined`: the defaults, no rules yet. */
  retain: RetainMark | undefined;
  now: number;
  /** Fresh keys in this tab's key space; with it, small records are merged (`mergeSmallBatches`). */
  nextKey?: () => string;
  /** Called as the log is read, so the caller knows which of its writes the result includes. */
  onRead?: () => void;
  /**
   * A read made before the lock (a load's): used instead of reading again when the stored
   * generation token is still the one it saw, so no cleanup changed a record since.
   */
  read?: readonly [string, unknown][];
  /**
   * Batches writes could not fit (the one being written and those waiting behind it): evicted by
   * time together with the stored events (their events located under the key `''`, so the rewrite
   * deletes that unused key when some of them go), and left holding only those of their events
   * that stay. Where they are older than other tabs' stored batches, they go first, not their
   * newer events.
   */
  batches?: BatchRecord[];
  /** Ids of events to delete whatever their age: stored events the engine rejects. */
  drop?: readonly string[];
  /**
   * The horizon this page's earlier evictions could not store, read and then set under the lock
   * (so a cleanup never works from, or overwrites, what another one of the page set meanwhile, and
   * the page can refuse both once a clear has erased the profile): used with the stored one, the
   * later of the two, and stored now if it is the later; set to the one this cleanup could not
   * store, if any.
   */
  owed?: { get(): StoredEvent | undefined; set(horizon: StoredEvent | undefined): void };
}

/** Writes: true once written, false on a quota error; any other error is thrown. */
export const fits = async (write: () => Promise<void>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    return false;
  }
};

/** A fresh generation token (see `GENERATION_KEY`). */
const token = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** Lets rendering and input run between the phases of a cleanup (where `scheduler.yield` exists). */
const pause = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  try {
    return typeof scheduler?.yield === 'function' ? scheduler.yield() : Promise.resolve();
  } catch {
    return Promise.resolve();
  }
};

/**
 * The one deletion path, under the Web Lock: duplicates, events past retention, corrupt records,
 * then `evict(remaining)` oldest of what is left (with `ctx.batches`, their events counted in). Batches
 * are rewritten without the dropped events (whole records deleted by key), so another tab's
 * batches are only ever changed here, serialised by the lock. With `nextKey`, small records are
 * merged on the way (one transaction).
 */
export function cleanupLog(ctx: CleanupContext, evict: (remaining: number) => number = () => 0): Promise<{ dropped: number; kept: number; reused: boolean; limits: RetainMark }> {
  return withLock(ctx.locks, ctx.lockName, async () => {
    // Records written since the earlier read are left for a later cleanup, as those written
    // during a fresh read would be. `seen`: the generation token the earlier read saw, if any.
    const seen = ctx.read?.find(([key]) => key === GENERATION_KEY)?.[1];
    const reused = seen !== undefined && (await ctx.backend.get(GENERATION_KEY)) === seen;
    if (!reused) ctx.onRead?.();
    const all = reused ? (ctx.read as readonly [string, unknown][]) : await ctx.backend.readAll();
    await pause();
    const collected = collectRecords(all);
    ctx.batches?.forEach((record) => record.events.forEach((event) => collected.located.push({ key: '', index: 0, event })));
    await pause();
    let evicted = 0;
    const horizon = later(ctx.owed?.get(), collected.horizon);
    const own = ctx.retain ?? { at: 0, ...DEFAULT_RETAIN };
    const limits = newerRetain(own, collected.retain);
    const plan = planLog(collected.located, ctx.now, limits, (retained) => (evicted = evict(retained)), ctx.drop, horizon);
    const left = new Set(plan.kept.filter((item) => !item.key).map((item) => item.event));
    ctx.batches?.forEach((record) => { record.events = record.events.filter((event) => left.has(event)); });
    await pause();
    const plain = rewriteBatches(collected, plan.dropped);
    const merged = ctx.nextKey ? mergeSmallBatches(collected, plan.dropped, ctx.nextKey, plain) : null;
    const { puts, deletes } = merged ?? plain;
    // After an eviction the last dropped event is the newest it deleted (duplicates come first).
    const newest = later(evicted > 0 ? plan.dropped[plan.dropped.length - 1]?.event : undefined, horizon);
    const meta: [string, unknown][] = newest && newest !== collected.horizon ? [[HORIZON_KEY, { t: newest.t, id: newest.id }]] : [];
    let owed: StoredEvent | undefined;
    if (retainNews(own, collected.retain)) meta.push([RETAIN_KEY, [own.at, own.events, own.forMs]]);
    if (puts.length > 0 || deletes.length > 0 || meta.length > 0) {
      try {
        await ctx.backend.write([...puts, [GENERATION_KEY, token()], ...meta], deletes);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        // Rewriting a batch needs room, deleting one frees it: the wholly dropped records go first,
        // then the rewrites are tried again, and only if they still do not fit are those records
        // deleted whole, with the events they kept (merged records are not written then). Without
        // a token, the next cleanup reads everything again.
        await ctx.backend.write([], [...plain.deletes, GENERATION_KEY]);
        if (plain.puts.length > 0 && !(await fits(() => ctx.backend.write(plain.puts)))) await ctx.backend.write([], plain.puts.map(([key]) => key));
        // Deletes of large values free the quota later in Chromium, so even this small write can
        // fail: the horizon is owed, and the page stores it with its next cleanup (after its next
        // write). Lost, it let a tab that fell behind write back events older than those deleted.
        if (meta.length > 0 && !(await fits(() => ctx.backend.write(meta)))) owed = newest;
      }
    }
    ctx.owed?.set(owed);
    return { dropped: plan.dropped.length, kept: plan.kept.length, reused, limits };
  });
}

/**
 * Eviction rounds on quota errors: 20%, 40%, 80%, then everything; a full store needs room for a
 * while. No round evicts the newest `size` events: with the batch being written counted in, they
 * are that batch when it is the newest, which the last round used to evict with the rest.
 */
const EVICT_FRACTIONS = [0.2, 0.4, 0.8, 1];

/** The origin's storage usage in bytes, where the browser tells it (`navigator.storage`, secure contexts). */
export const usage = async (): Promise<number | undefined> => {
  try {
    return (await navigator.storage.estimate()).usage;
  } catch {
    return undefined;
  }
};

/**
 * Writes, and on `QuotaExceededError` evicts the oldest events (at least `size`) and retries, each
 * round evicting more, until a round whose retry failed raised `usage()` by over an eighth: then
 * eviction makes no room. In Chromium, deleting small values (kept in its database file, not as
 * blob files; about 39 kB a batch) raised the usage by more than was deleted (1.04 to 1.9 MB for a
 * round, none of it back within 60 s), and the later rounds emptied the log for nothing. After
 * deleting blob-file values (over 64 kB) that the cleanup had just read, the usage can stay flat
 * (seen +1%) while more rounds do make room: not a reason to stop. Where the usage is unknown,
 * every round runs. `wanted()` false (cleared or closed meanwhile) abandons the write (checked
 * before each round too). Resolves `true` once written (or abandoned); else the usage it stopped
 * at, the log emptied or not, or `false` where unknown.
 */
export async function writeEvictingOldest(
  write: () => Promise<void>, evict: (count: (remaining: number) => number) => Promise<unknown>, size: number, wanted: () => boolean,
): Promise<boolean | number> {
  let before = await usage();
  for (const fraction of EVICT_FRACTIONS) {
    // Cleared meanwhile (forget(), consent denied: a retry's write was under way): nothing is
    // evicted for it, where the round counted the dropped batches in and stored an erased event's
    // time and id as the horizon, after the erase.
    if (!wanted()) return true;
    await evict((remaining) => Math.max(0, Math.min(remaining - size, Math.max(size, Math.ceil(remaining * fraction)))));
    if (!wanted() || (await fits(write))) return true;
    const after = await usage();
    if (before !== undefined && !((after as number) < before * 1.125)) return after ?? false;
    before = after;
  }
  return before ?? false;
}
