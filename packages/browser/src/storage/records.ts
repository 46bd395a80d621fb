import { parseDuration } from '@seglet/core';
import type { RetainOption, StoredEvent } from './types.js';

/** Key prefixes: `e/<tab>/<n>` holds one batch of events, `m/<name>` a meta value. */
export const EVENT_PREFIX = 'e/';
export const META_PREFIX = 'm/';
/**
 * A random token every cleanup rewrites with its changes (a clear removes it): a read that saw the
 * token still stored saw every record as it still is, since only cleanups change or delete records.
 */
export const GENERATION_KEY = `${META_PREFIX}generation`;
/** The note token of the last erase done (see `EventStore.clear`). */
export const SEAL_KEY = `${META_PREFIX}erased`;
/**
 * The newest event a quota eviction deleted (its time and id): events at or before it in restore
 * order are gone from the log, also those a tab that fell behind writes later (they would have gone
 * first), so what every tab keeps stays the newest events.
 */
export const HORIZON_KEY = `${META_PREFIX}horizon`;
/**
 * The retention of the newest rule set a tab got (`RetainMark`): a tab still on older rules (open
 * across a deploy) prunes to it, not to its own, which cut what the newer rules keep longer.
 */
export const RETAIN_KEY = `${META_PREFIX}retain`;

/** Effective retention (see `effectiveRetain`) of a rule set a tab got at `at` (0: no rules yet); stored as `[at, events, forMs]`. */
export interface RetainMark { at: number; events: number; forMs: number }

/** The retention the log keeps: that of the rule set got last, `stored` when another tab got it after `own`. */
export const newerRetain = (own: RetainMark, stored: RetainMark | undefined): RetainMark => (stored && stored.at > own.at ? stored : own);

/** True when `own` is to be stored: newer than the stored mark, or, with none, other than the defaults. */
export const retainNews = (own: RetainMark, stored: RetainMark | undefined): boolean =>
  stored ? own.at > stored.at : own.events !== DEFAULT_RETAIN.events || own.forMs !== DEFAULT_RETAIN.forMs;

/** True for an event at or before `horizon` in restore order. */
export const behind = (event: StoredEvent, horizon: StoredEvent | undefined): boolean => horizon !== undefined && compareStored(event, horizon) <= 0;

/** The later of two horizons in restore order (either may be missing). */
export const later = (a: StoredEvent | undefined, b: StoredEvent | undefined): StoredEvent | undefined => (a && !behind(a, b) ? a : b);

/** The stored shape of one batch. `v` lets a later version recognise (or migrate) it. */
export interface BatchRecord { v: 1; events: StoredEvent[] }

/** The defaults the stored log is never trimmed below (the larger of these and the rule set's `retain`). */
export const DEFAULT_RETAIN = { events: 10_000, forMs: 90 * 86_400_000 };

/** Effective retention: each limit is the larger of the rule set's value and the default. */
export function effectiveRetain(retain: RetainOption | undefined): { events: number; forMs: number } {
  const events = typeof retain?.events === 'number' && Number.isFinite(retain.events) ? retain.events : 0;
  const forMs = parseDuration(retain?.for) ?? 0;
  return { events: Math.max(events, DEFAULT_RETAIN.events), forMs: Math.max(forMs, DEFAULT_RETAIN.forMs) };
}

/** Splits `<tab>:<seq>` for ordering; an id of another shape sorts by itself with sequence 0. */
export function splitId(id: string): { tab: string; seq: number } {
  const at = id.lastIndexOf(':');
  const seq = at < 0 ? NaN : Number(id.slice(at + 1));
  return Number.isSafeInteger(seq) ? { tab: id.slice(0, at), seq } : { tab: id, seq: 0 };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored event as read back, or `null` when it does not have the shape we wrote. */
export function decodeEvent(value: unknown): StoredEvent | null {
  if (!isPlainObject(value)) return null;
  const { id, type, t, props } = value;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) return null;
  if (typeof type !== 'string' || type.length === 0 || type.length > 64) return null;
  if (typeof t !== 'number' || !Number.isFinite(t)) return null;
  if (props !== undefined && !isPlainObject(props)) return null;
  const event: StoredEvent = { id, type, t };
  if (props !== undefined) event.props = props as StoredEvent['props'] & object;
  return event;
}

/** A batch as read back: its valid events and how many were dropped; `null` when the record itself is unusable. */
export function decodeBatch(value: unknown): { events: StoredEvent[]; dropped: number } | null {
  if (!isPlainObject(value) || value.v !== 1 || !Array.isArray(value.events)) return null;
  const events: StoredEvent[] = [];
  const raws = value.events as unknown[];
  // By index: a load decodes every stored event once, mostly in unoptimized code, where a for-of
  // allocates an iterator result per step.
  for (let i = 0; i < raws.length; i++) {
    const event = decodeEvent(raws[i]);
    if (event) events.push(event);
  }
  return { events, dropped: value.events.length - events.length };
}

/** Restore order: (t, tab id, sequence), the same in every tab. */
export function compareStored(a: StoredEvent, b: StoredEvent): number {
  if (a.t !== b.t) return a.t - b.t;
  const x = splitId(a.id);
  const y = splitId(b.id);
  if (x.tab !== y.tab) return x.tab < y.tab ? -1 : 1;
  return x.seq - y.seq;
}

/**
 * Sorts in place into restore order. Ids are split only to break ties on time, which are few
 * (the events of one task): 10,000 events without ties sort two to three times faster than when
 * every id was split up front, and about as fast with a tie every fifth event.
 */
export function sortStored<T>(items: T[], event: (item: T) => StoredEvent = (item) => item as StoredEvent): T[] {
  return items.sort((a, b) => compareStored(event(a), event(b)));
}

/** One event located in its batch, for deletions that rewrite batches. */
export interface Located { key: string; index: number; event: StoredEvent }

/**
 * Plans which events leave the log: those with an id in `drop` (every copy), duplicates (by id,
 * the first copy stays), events at or past `forMs` old or `behind` the horizon, events beyond the
 * newest `events`, and then the `evict` oldest of what is left (a function gets the number
 * retention keeps). Returns the survivors in restore order and the dropped locations.
 */
export function planLog(
  located: readonly Located[], now: number, limits: { events: number; forMs: number }, evict: number | ((retained: number) => number) = 0,
  drop?: Iterable<string>, horizon?: StoredEvent,
): { kept: Located[]; dropped: Located[] } {
  // Seen already: every copy goes, as a duplicate's does.
  const seen = new Set<string>(drop);
  const dropped: Located[] = [];
  const unique: Located[] = [];
  for (let i = 0; i < located.length; i++) {
    const item = located[i] as Located;
    if (seen.has(item.event.id)) dropped.push(item);
    else { seen.add(item.event.id); unique.push(item); }
  }
  sortStored(unique, (item) => item.event);
  let start = 0;
  while (start < unique.length && (now - (unique[start] as Located).event.t >= limits.forMs || behind((unique[start] as Located).event, horizon))) start++;
  start = Math.max(start, unique.length - limits.events);
  start = Math.min(unique.length, start + (typeof evict === 'function' ? evict(unique.length - start) : evict));
  dropped.push(...unique.slice(0, start));
  return { kept: unique.slice(start), dropped };
}

/** The event records of a full read: located events, batches by key, and what failed to parse. */
export interface Collected {
  located: Located[];
  batches: Map<string, StoredEvent[]>;
  /** Keys whose whole record is unusable (deleted by the next cleanup). */
  corrupt: string[];
  /** Keys of batches that lost some events to parsing (rewritten by the next cleanup). */
  dirty: Set<string>;
  /** Events dropped inside otherwise valid batches. */
  droppedEvents: number;
  /** The eviction horizon the read saw, if any (a value of another shape is none). */
  horizon?: StoredEvent;
  /** The retention of the newest rule set, if stored (see `RETAIN_KEY`). */
  retain?: RetainMark;
}

/** Sorts a full read into batches and finds the horizon; other meta and foreign keys are left alone. */
export function collectRecords(all: readonly [unknown, unknown][]): Collected {
  const out: Collected = { located: [], batches: new Map(), corrupt: [], dirty: new Set(), droppedEvents: 0 };
  for (const [key, value] of all) {
    if (key === HORIZON_KEY) {
      const h = value as StoredEvent | undefined;
      if (typeof h?.t === 'number' && typeof h.id === 'string') out.horizon = h;
    }
    if (key === RETAIN_KEY && Array.isArray(value)) {
      // Stored as [at, events, forMs]: the minified builds rename the fields of a RetainMark.
      const [at, events, forMs] = value as number[];
      if (typeof at === 'number' && (events as number) >= DEFAULT_RETAIN.events && (forMs as number) >= DEFAULT_RETAIN.forMs) out.retain = { at, events: events as number, forMs: forMs as number };
    }
    if (typeof key !== 'string' || !key.startsWith(EVENT_PREFIX)) continue;
    const batch = decodeBatch(value);
    if (!batch) { out.corrupt.push(key); continue; }
    if (batch.dropped > 0) { out.dirty.add(key); out.droppedEvents += batch.dropped; }
    out.batches.set(key, batch.events);
    for (let index = 0; index < batch.events.length; index++) out.located.push({ key, index, event: batch.events[index] as StoredEvent });
  }
  return out;
}

/** The dropped indexes of each batch, by key. */
export function droppedByKey(dropped: readonly Located[]): Map<string, Set<number>> {
  const drop = new Map<string, Set<number>>();
  for (const { key, index } of dropped) {
    let set = drop.get(key);
    if (!set) drop.set(key, (set = new Set()));
    set.add(index);
  }
  return drop;
}

/** The puts and deletes that remove `dropped` (and rewrite `dirty` batches) without touching anything else. */
export function rewriteBatches(
  collected: Collected, dropped: readonly Located[],
): { puts: [string, BatchRecord][]; deletes: string[] } {
  const drop = droppedByKey(dropped);
  const puts: [string, BatchRecord][] = [];
  const deletes = [...collected.corrupt];
  for (const key of new Set([...drop.keys(), ...collected.dirty])) {
    const gone = drop.get(key);
    const kept = (collected.batches.get(key) ?? []).filter((_, index) => !gone?.has(index));
    if (kept.length === 0) deletes.push(key);
    else puts.push([key, { v: 1, events: kept }]);
  }
  return { puts, deletes };
}

/** De-duplicates by id (first copy wins) and sorts into restore order. */
export function orderLog(events: readonly StoredEvent[]): StoredEvent[] {
  const seen = new Set<string>();
  const out = events.filter((event) => !seen.has(event.id) && (seen.add(event.id), true));
  return sortStored(out);
}
