import { isAnonymousId, randomId } from '../facade/randomId.js';

/** localStorage key present while an erase (consent denied, forget) may not have finished. */
export const ERASE_KEY = 'seglet:erase';

/** An erase in progress, noted in localStorage until it ends. */
export interface EraseNote {
  /** The note's random token, which seals the erase in the store once it is done. */
  readonly token: string;
  /** The anonymous id whose forget request is still to be queued, once it is known (null: none). */
  forget(id: string | null): void;
  /** The erase is done (the forget request queued, if any): the note goes. */
  end(): void;
}

/** What a note left by an unfinished erase asks for. */
export interface NotedErase {
  /**
   * The anonymous id to queue a forget request for, if the erase was a forget() with a beacon;
   * true: the one stored (a forget() before `ready` had not read it yet).
   */
  forget: string | true | null;
  /** The token of the note (a damaged note has none). */
  token?: string;
}

/** The notes of erases this page is running: it finishes them itself (see `notedErase`). */
const live = /*#__PURE__*/ new Set<string>();

/**
 * Notes in localStorage that an erase is under way. The erase waits for the database and the
 * Web Lock, and a page that goes away first (a consent tool reloading after "reject", a "delete my
 * data" form navigating) took it along: the next page read everything the visitor had just asked
 * to delete. The next page to open the store finds the note and erases first (`notedErase`).
 * The note holds a random token and, for a forget(), the forgotten anonymous id (which the
 * forget request names anyway). Never throws; with storage blocked there is no note.
 */
export function noteErase(win: Window, forget?: string | true): EraseNote {
  const token = randomId();
  live.add(token);
  let id = forget ?? null;
  // A forget request an earlier page left unqueued is carried: an erase with nothing to queue
  // (consent denied on the page after the forget) must not drop it with its own note.
  const carried = id === null ? notedErase(win)?.forget ?? null : null;
  if (carried !== null) id = carried;
  const write = (): void => {
    try {
      win.localStorage.setItem(ERASE_KEY, JSON.stringify({ token, forget: id }));
    } catch {
      // Blocked storage: the erase still runs, without a note to finish it elsewhere.
    }
  };
  write();
  return {
    token,
    forget(next) {
      id = next;
      write();
    },
    end() {
      live.delete(token);
      // Still to be queued by a page that can (consent granted, a beacon): the note stays.
      if (id !== null && id === carried) return;
      try {
        // A later erase owns the note now: it removes it when it ends.
        if (parse(win.localStorage.getItem(ERASE_KEY))?.token === token) win.localStorage.removeItem(ERASE_KEY);
      } catch {
        // Nothing to remove when storage is blocked.
      }
    },
  };
}

/**
 * The note an erase left unfinished, if any. One this page is still running is not: it finishes
 * it itself, and a second erase would delete what was stored after it (forget(), track(), then
 * consent pending and granted). Never throws.
 */
export function notedErase(win: Window): NotedErase | null {
  try {
    const raw = win.localStorage.getItem(ERASE_KEY);
    if (raw === null) return null;
    const note = parse(raw);
    if (typeof note?.token === 'string' && live.has(note.token)) return null;
    // A damaged note still means an erase was asked for.
    const forget = note?.forget;
    return { forget: forget === true || isAnonymousId(forget) ? forget : null, ...(typeof note?.token === 'string' && { token: note.token }) };
  } catch {
    return null;
  }
}

function parse(raw: string | null): { token?: unknown; forget?: unknown } | null {
  try {
    const value: unknown = raw === null ? null : JSON.parse(raw);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}
