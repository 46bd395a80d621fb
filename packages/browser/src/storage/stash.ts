import { decodeEvent } from './records.js';
import type { StoredEvent } from './types.js';

/** The sessionStorage key of the events a page left with unwritten (its database not open yet, a clear running, a write under way or a full quota). */
export const STASH_KEY = 'seglet:unwritten';
/**
 * The localStorage key of the time of the last `forget()` in this browser, which every tab reads:
 * a stash made before it holds events of the forgotten profile.
 */
export const FORGOTTEN_KEY = 'seglet:forgotten';
/** At most this many are kept: a page leaves within its first moments, with a few events. */
const MAX_STASHED = 1_000;

/**
 * Keeps `events` in sessionStorage, which a same-tab navigation keeps: a page that tracks and
 * leaves at once (a redirect) left before IndexedDB opened, and a write started on `pagehide` is
 * lost on same-tab navigation in Chromium. The tab's next page stores them (`takeStash`); ids
 * make a copy that was written after all count once. The stash time comes first (see `noteForget`).
 */
export function stashEvents(win: Window, events: readonly StoredEvent[]): void {
  if (events.length === 0) return;
  try {
    win.sessionStorage.setItem(STASH_KEY, JSON.stringify([Date.now(), ...events.slice(-MAX_STASHED)]));
  } catch {
    // Storage blocked or full: nothing else can keep them on the way out.
  }
}

/**
 * Reads and deletes the stash: its events that still have the shape of a stored event, none when
 * a `forget()` ran after it was made (or it has no time: another version's).
 */
export function takeStash(win: Window): StoredEvent[] {
  try {
    const raw = win.sessionStorage.getItem(STASH_KEY);
    if (raw === null) return [];
    win.sessionStorage.removeItem(STASH_KEY);
    const [at, ...list] = JSON.parse(raw) as unknown[];
    // No forget noted: +null is 0.
    return (at as number) > +(win.localStorage.getItem(FORGOTTEN_KEY) as string) ? list.map(decodeEvent).filter((e): e is StoredEvent => e !== null) : [];
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

/**
 * Notes when a `forget()` runs. A page of another tab that left with unwritten events just
 * before it stashed them in that tab's sessionStorage, which the forget cannot reach: the tab's
 * next page stored them after the deletion, and the forgotten profile came back. A time, no id.
 * `false` deletes the note (consent denied: nothing seglet wrote stays).
 */
export function noteForget(win: Window, on = true): void {
  try {
    if (on) win.localStorage.setItem(FORGOTTEN_KEY, `${Date.now()}`);
    else win.localStorage.removeItem(FORGOTTEN_KEY);
  } catch {
    // Storage blocked: no page can have stashed anything either.
  }
}
