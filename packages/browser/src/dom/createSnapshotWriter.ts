import { markSnapshotStale, readSnapshot, snapshotNote, writeNotedSnapshot } from './snapshot.js';

/** The membership state a snapshot carries (its `t` is the write time). */
interface State {
  rules: string;
  /** In the engine's declaration order, so equal sets are equal lists. */
  members: readonly string[];
  until: number | null;
}

/** Element by element: a joined key per change was a large share of the page's garbage per event. */
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Keeps the `seglet:m` snapshot up to date at the cost of (at most) one `localStorage` write per task. */
export interface SnapshotWriter {
  /**
   * The state after an engine operation. `members` is called only when `changed` is true or
   * nothing is known yet; otherwise the members last passed still hold. The write happens in a
   * microtask when the stored snapshot would mislead the next load; an `until` that merely moved
   * later waits (see `deadline`).
   */
  update(rules: string, changed: boolean, members: () => readonly string[], until: number | null): void;
  /**
   * When a newer state waits unwritten: the instant the stored snapshot expires, for the facade's
   * timer to wake at (the write then happens), else `null`.
   */
  readonly deadline: number | null;
  /** Writes a waiting state now: `pagehide`, `visibilitychange: hidden`, `destroy()`. */
  flush(): void;
  /** Forgets the stored and the waiting state (after `clearSnapshot`): nothing waiting is written. */
  reset(): void;
}

/**
 * What the next page load needs from the snapshot: the same rules and members, and an `until`
 * no later than the real next change (the snapshot is used until then). An `until` that moved
 * later leaves the stored snapshot correct, only expiring early; writing it on every event would
 * cost a `localStorage.setItem` per event with windowed rules, whose next change moves with each
 * event. It is written when the stored one expires (the facade's timer wakes for it) or the page
 * is hidden, whichever comes first.
 */
function stale(stored: State | null, next: State, now: number): boolean {
  if (!stored || stored.rules !== next.rules || !sameList(stored.members, next.members)) return true;
  if (next.until !== null && (stored.until === null || next.until < stored.until)) return true;
  return stored.until !== null && stored.until <= now;
}

const same = (a: State, b: State): boolean => a.rules === b.rules && a.until === b.until && sameList(a.members, b.members);

/**
 * Creates the snapshot writer of one page; `now` stamps `t` and judges expiry. `rulesAt`: when the
 * page got its rules; `lastEvent`: the time of the newest event it applied, its own or another
 * tab's (both default 0). Each tab's changes carry the time it applied them; the event's own time
 * is the same in every tab.
 */
export function createSnapshotWriter(win: Window, now: () => number, rulesAt = (): number => 0, lastEvent = (): number => 0): SnapshotWriter {
  /** What this page last wrote (or tried to: a blocked storage is not retried on every event). */
  let stored: State | null = null;
  let latest: State | null = null;
  let queued = false;

  const write = (): void => {
    queued = false;
    const next = latest;
    if (!next || next === stored) return;
    const before = stored;
    stored = next;
    const at = rulesAt();
    const noted = snapshotNote(win);
    // A tab still on older rules (open across a deploy) leaves the snapshot of a tab on newer
    // rules alone: replacing it made the next page load start without a snapshot it could use
    // (another rules hash), flickering, and which tab's write lands last is not up to either
    // (tabs see each other's localStorage writes late). When its memberships changed on an event
    // that tab has not written since (it is gone, or has not heard of it yet), it notes the
    // event's time instead: a page loaded before that tab writes again starts without the
    // snapshot rather than from memberships that may be out of date. The note is read first: the
    // snapshot itself is parsed only when it names newer rules than this page's.
    if (noted.at > at && noted.rules !== next.rules) {
      const there = readSnapshot(win, null, now());
      if (there && there.rules === noted.rules) {
        if (there.t < lastEvent() && !(before && sameList(before.members, next.members))) markSnapshotStale(win, lastEvent());
        return;
      }
    }
    writeNotedSnapshot(win, { rules: next.rules, members: next.members, until: next.until, t: now() }, at, noted);
  };

  return {
    update(rules, changed, members, until) {
      const base = latest ?? stored;
      const next: State = { rules, members: changed || !base ? members() : base.members, until };
      latest = stored && same(stored, next) ? stored : latest && same(latest, next) ? latest : next;
      if (latest === stored || queued || !stale(stored, latest, now())) return;
      queued = true;
      queueMicrotask(write);
    },
    get deadline() {
      return latest !== null && latest !== stored && !queued ? (stored?.until ?? null) : null;
    },
    flush: write,
    reset() {
      stored = null;
      latest = null;
    },
  };
}
