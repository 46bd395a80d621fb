import { decodeEvent } from './records.js';
import type { StoredEvent } from './types.js';

/** The sessionStorage key of the events a page left with before its database opened. */
export const STASH_KEY = 'seglet:unwritten';
/** At most this many are kept: a page leaves within its first moments, with a few events. */
const MAX_STASHED = 1_000;

/**
 * Keeps `events` in sessionStorage, which a same-tab navigation keeps: a page that tracks and
 * leaves at once (a redirect) left before IndexedDB opened, and a write started on `pagehide` is
 * lost on same-tab navigation in Chromium. The tab's next page stores them (`takeStash`); ids
 * make a copy that was written after all count once.
 */
export function stashEvents(win: Window, events: readonly StoredEvent[]): void {
  if (events.length === 0) return;
  try {
    win.sessionStorage.setItem(STASH_KEY, JSON.stringify(events.slice(-MAX_STASHED)));
  } catch {
    // Storage blocked or full: nothing else can keep them on the way out.
  }
}

/** Reads and deletes the stash: its events that still have the shape of a stored event. */
export function takeStash(win: Window): StoredEvent[] {
  try {
    const raw = win.sessionStorage.getItem(STASH_KEY);
    if (raw === null) return [];
    win.sessionStorage.removeItem(STASH_KEY);
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) ? list.map(decodeEvent).filter((e): e is StoredEvent => e !== null) : [];
  } catch {
    return [];
  }
}

/** Deletes the stash (`forget()`, consent denied). */
export function clearStash(win: Window): void {
  try {
    win.sessionStorage.removeItem(STASH_KEY);
  } catch {
    // Nothing to delete when storage is blocked.
  }
}
