import { readMembersCookie } from './cookie.js';
import { SEGMENT_ID } from './segmentIds.js';

/** localStorage key of the membership snapshot. */
export const SNAPSHOT_KEY = 'seglet:m';

/** The membership snapshot that lets `has()` and swaps answer on the first line of the script. */
export interface Snapshot {
  v: 1;
  /** `rulesHash()` of the rule set the memberships were computed with. */
  rules: string;
  members: string[];
  /** The engine's `nextChange()` at write time: past it the snapshot may be wrong. */
  until: number | null;
  /** When it was written (ms since the epoch). */
  t: number;
}

/**
 * Reads the snapshot; `null` when there is none, it is malformed, the rules hash differs, or
 * `until` has passed (`until <= now`). Never throws (storage may be blocked). With `rulesHash`
 * `null` (rules still being fetched) any hash is accepted: the caller checks `rules` once known.
 */
export function readSnapshot(win: Window, rulesHash: string | null, now: number = Date.now()): Snapshot | null {
  let raw: string | null;
  try {
    raw = win.localStorage.getItem(SNAPSHOT_KEY);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { v, rules, members, until, t } = value as Record<string, unknown>;
    if (v !== 1 || typeof rules !== 'string' || (rulesHash !== null && rules !== rulesHash)) return null;
    if (!Array.isArray(members) || typeof t !== 'number') return null;
    if (until !== null && (typeof until !== 'number' || until <= now)) return null;
    return { v: 1, rules, members: members.filter(isId), until, t };
  } catch {
    return null;
  }
}

/** Writes the snapshot; returns false when storage is blocked or full. */
export function writeSnapshot(win: Window, snapshot: Omit<Snapshot, 'v' | 'members'> & { members: readonly string[] }): boolean {
  try {
    const { rules, members, until, t } = snapshot;
    // The engine's ids are valid already: a filtered copy only when one is not.
    win.localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules, members: members.every((id) => isId(id)) ? members : members.filter(isId), until, t }));
    return true;
  } catch {
    return false;
  }
}

/**
 * localStorage key noting when the page that wrote the snapshot got its rules, as `<at> <rules
 * hash>` (beside the snapshot, whose fields the spec fixes): see `createSnapshotWriter`.
 */
export const SNAPSHOT_AT_KEY = 'seglet:m:at';

/** The note beside the snapshot: when its writer got its rules (0 when none is noted), and their hash. */
export interface SnapshotNote { at: number; rules?: string | undefined }

/** Reads the note (see `SNAPSHOT_AT_KEY`): a `getItem` and a split, where the snapshot is JSON to parse. */
export function snapshotNote(win: Window): SnapshotNote {
  try {
    const [at, rules] = (win.localStorage.getItem(SNAPSHOT_AT_KEY) ?? '').split(' ');
    return { at: Number(at) || 0, rules };
  } catch {
    return { at: 0 };
  }
}

/**
 * localStorage key of the time of the newest event that changed the memberships of a tab on older
 * rules than the snapshot's (see `createSnapshotWriter`): a snapshot written before it may be out
 * of date, and a page starts without it.
 */
export const SNAPSHOT_STALE_KEY = 'seglet:m:stale';

/** Notes that memberships changed at `t` in a tab that leaves the snapshot alone (see `SNAPSHOT_STALE_KEY`). */
export function markSnapshotStale(win: Window, t: number): void {
  try {
    win.localStorage.setItem(SNAPSHOT_STALE_KEY, String(t));
  } catch {
    // Blocked storage: nothing was written either.
  }
}

/**
 * Writes the snapshot, and its note when `at` (when the page got its rules) is known and `noted`
 * (the note as read before) says otherwise: the note changes with the rules, not on every write.
 * Returns false when storage is blocked or full.
 */
export function writeNotedSnapshot(win: Window, snapshot: Omit<Snapshot, 'v' | 'members'> & { members: readonly string[] }, at: number, noted: SnapshotNote): boolean {
  if (!writeSnapshot(win, snapshot)) return false;
  if (at > 0 && (noted.rules !== snapshot.rules || noted.at !== at)) {
    try {
      win.localStorage.setItem(SNAPSHOT_AT_KEY, `${at} ${snapshot.rules}`);
    } catch {
      // The note only keeps older rules from replacing the snapshot: without it they may.
    }
  }
  return true;
}

/** Deletes the snapshot and its notes (`forget()`, consent denied). */
export function clearSnapshot(win: Window): void {
  try {
    for (const key of [SNAPSHOT_KEY, SNAPSHOT_AT_KEY, SNAPSHOT_STALE_KEY]) win.localStorage.removeItem(key);
  } catch {
    // Nothing to delete when storage is blocked.
  }
}

/**
 * The memberships to start from before history is restored: a usable snapshot, else the
 * `seglet_m` cookie (written by the browser or set for the edge), so the browser never undoes on
 * first paint what the edge rendered; else none. `known` filters ids absent from the rules.
 */
export function startupMembers(
  win: Window,
  rulesHash: string | null,
  options: { now?: number; known?: (id: string) => boolean } = {},
): Set<string> {
  const snapshot = readSnapshot(win, rulesHash, options.now);
  const ids = (snapshot && !(staleSince(win) > snapshot.t) ? snapshot.members : null) ?? readMembersCookie(win.document) ?? [];
  const known = options.known;
  return new Set(known ? ids.filter((id) => safeKnown(known, id)) : ids);
}

/** See `SNAPSHOT_STALE_KEY`; NaN (compares false) when none is noted. */
function staleSince(win: Window): number {
  try {
    return Number(win.localStorage.getItem(SNAPSHOT_STALE_KEY) ?? NaN);
  } catch {
    return NaN;
  }
}

function safeKnown(known: (id: string) => boolean, id: string): boolean {
  try {
    return known(id);
  } catch {
    return false;
  }
}

function isId(id: unknown): id is string {
  return typeof id === 'string' && SEGMENT_ID.test(id);
}
