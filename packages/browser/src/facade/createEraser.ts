import { clearKeepingForgets } from '../beacon/clearKeepingForgets.js';
import { underGPC } from '../beacon/beaconState.js';
import { clearLanding } from '../context/landing.js';
import { clearCookies } from '../dom/cookie.js';
import type { SnapshotWriter } from '../dom/createSnapshotWriter.js';
import { clearSnapshot } from '../dom/snapshot.js';
import { notedErase, noteErase, type EraseNote } from '../storage/eraseJournal.js';
import { hasDatabase } from '../storage/hasDatabase.js';
import { DB_NAME, openEventStore } from '../storage/openEventStore.js';
import { clearStash } from '../storage/stash.js';
import type { EventStore } from '../storage/types.js';
import type { BeaconOptions, SegmentsOptions } from '../types.js';
import type { Report } from './createReporter.js';
import { noop } from './values.js';

/** The store meta key of the persisted anonymous id. */
export const ANONYMOUS_ID = 'anonymousId';

/** The erasing of the page's stores and traces, and the writes later stores wait for. */
export interface Eraser {
  /**
   * The last writes and the erasing of stores this page put down (consent pending or denied,
   * forget). A store opened next waits for them: a grant's store wrote the events tracked after a
   * denial before the denial's clear (waiting for the Web Lock) deleted them, and a pending
   * store's late write landed after a denial's clear.
   */
  readonly settling: Promise<unknown>;
  /** Adds `work` to `settling`. */
  putDown(work: Promise<unknown>): void;
  /**
   * An erase of `target`: noted until it is done, so one a page took along when it went is
   * finished by the next. A store that fell back to memory erased nothing on disk: the note stays.
   */
  erasing(work: Promise<unknown>, target: EventStore, note?: EraseNote): void;
  /**
   * Empties the stored log and closes `s`, or, with no store open (no consent), one opened for
   * that alone: unless the browser lists no database of ours (a first visit), as opening one
   * would create it.
   */
  clearStore(s: EventStore | null): Promise<void>;
  /**
   * Empties the store and, with a beacon, leaves a forget request queued in it for the next
   * beacon to send (runtime.md wants it retried until acknowledged); under GPC only for an id a
   * batch was handed over for, as the beacon's own forget() decides (see mayForget). For
   * destroy() with a forget() still waiting for `ready` (this page's beacon never started), `id`
   * unset: the request is for the stored anonymous id. For an erase an earlier page noted and did
   * not finish: `id` is the id it forgot, null (a denial: no request), or true (a forget() before
   * `ready`: the stored id, as unset).
   */
  eraseLeavingForget(s: EventStore | null, id?: string | true | null, seal?: string): Promise<void>;
  /** Removes what seglet keeps outside its store: snapshot, cookies, landing facts. */
  clearTraces(): void;
}

/**
 * Creates the eraser of one instance. `settling` starts from what a destroyed instance left
 * running; `options` is read when an erase runs; `storeReport` is the page's once-only
 * `storage_unavailable` report (createStoreReport). Positional: an options object cost the
 * script tag bytes for nothing.
 */
export function createEraser(
  win: Window, tabId: string, options: SegmentsOptions, storeReport: Report, granted: () => boolean, snapshots: SnapshotWriter,
  settling: Promise<unknown>,
): Eraser {
  // Read as the beacon reads it (a URL string has no respectGPC: the default holds): an erase that
  // queues a forget request for the next page must apply the beacon's GPC check (see mayForget).
  const gpc = (): boolean => underGPC(win.navigator, options.beacon as BeaconOptions | undefined);
  const putDown = (work: Promise<unknown>): void => { settling = Promise.all([settling, work]); };
  const erasing = (work: Promise<unknown>, target: EventStore, note: EraseNote = noteErase(win)): void => {
    void work.then(() => { if (target.mode === 'indexeddb' || options.storage === 'memory') note.end(); }, noop);
    putDown(work);
  };
  /** A store opened only to be emptied: no consent (none open), but an earlier visit may have filled it. */
  const openForErasing = (after = settling): EventStore => openEventStore({ tabId, storage: options.storage, onError: storeReport, after });
  return {
    get settling() { return settling; },
    putDown,
    erasing,
    clearStore(s) {
      const clear = (target: EventStore): Promise<void> => {
        // A forget() before `ready` on a page that went left the stored id to be forgotten: read first.
        const forget = notedErase(win)?.forget === true && options.beacon ? target.getMeta(ANONYMOUS_ID) : null;
        // Not sealed: nothing is written under a denial (see EventStore.clear).
        const done = clearKeepingForgets(target, forget, Date.now(), gpc()).then(() => target.close());
        erasing(done, target);
        return done;
      };
      if (s) return clear(s);
      // Put down at once, so a store opened meanwhile waits for it; the one opened here waits only
      // for what came before.
      const before = settling;
      const done = hasDatabase(DB_NAME).then((found) => { if (found) return clear(openForErasing(before)); });
      putDown(done);
      return done;
    },
    eraseLeavingForget(s, id, seal) {
      const target = s ?? openForErasing();
      const note = noteErase(win, id ?? undefined);
      const done = (async (): Promise<void> => {
        try {
          const stored = typeof id === 'string' || id === null ? id : options.beacon && granted() ? await target.getMeta<unknown>(ANONYMOUS_ID) : undefined;
          if (typeof stored === 'string' && typeof id !== 'string') note.forget(stored);
          await clearKeepingForgets(target, typeof stored === 'string' && options.beacon ? stored : null, Date.now(), gpc(), seal ?? note.token);
        } finally {
          await target.close();
        }
      })();
      erasing(done, target, note);
      return done;
    },
    clearTraces() {
      snapshots.reset();
      clearSnapshot(win);
      clearCookies(win.document);
      clearLanding(win);
      clearStash(win);
    },
  };
}
