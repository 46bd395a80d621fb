import { SegletError, type Change } from '@seglet/core';
import type { ChangeHandler } from '../types.js';
import type { Report } from './createReporter.js';

interface Handler { id: string; enter: ChangeHandler; exit: ChangeHandler | undefined; entered: boolean }

/** The `on()` handlers of the facade, which outlive engines (rebuilt on forget) and the snapshot phase. */
export interface Handlers {
  /** Registers; calls `enter` at once when `member`. Returns the unsubscribe function. */
  add(id: string, enter: ChangeHandler, exit: ChangeHandler | undefined, member: boolean, t: number): () => void;
  /** Delivers one engine change to the handlers of its segment. */
  change(change: Change): void;
  /** Brings every handler to `members` (exits first, then enters): the snapshot corrected at `ready`. */
  sync(members: ReadonlySet<string>, t: number): void;
  /** Removes the handlers of `id` (an id the rules turned out not to define). */
  drop(id: string): void;
  ids(): string[];
  clear(): void;
}

/**
 * Each handler remembers whether it saw an enter, so enter never fires twice for one membership
 * and an exit is only ever sent after an enter, whatever mix of snapshot and engine drove it.
 * A throwing handler is reported as `callback_failed` and the others still run.
 */
export function createHandlers(report: Report): Handlers {
  let list: Handler[] = [];
  const call = (fn: ChangeHandler | undefined, change: Change): void => {
    if (!fn) return;
    try {
      fn(change);
    } catch (cause) {
      report(new SegletError('callback_failed', `an ${change.member ? 'enter' : 'exit'} callback of "${change.segment}" threw`, { cause }));
    }
  };
  const deliver = (h: Handler, change: Change): void => {
    if (change.member === h.entered) return;
    h.entered = change.member;
    call(change.member ? h.enter : h.exit, change);
  };
  return {
    add(id, enter, exit, member, t) {
      const h: Handler = { id, enter, exit, entered: false };
      list.push(h);
      if (member) deliver(h, { segment: id, member: true, t });
      return () => { list = list.filter((x) => x !== h); };
    },
    change(change) {
      for (const h of list.slice()) if (h.id === change.segment && list.includes(h)) deliver(h, change);
    },
    sync(members, t) {
      for (const member of [false, true]) {
        for (const h of list.slice()) {
          if (members.has(h.id) === member && h.entered !== member && list.includes(h)) deliver(h, { segment: h.id, member, t });
        }
      }
    },
    drop(id) { list = list.filter((h) => h.id !== id); },
    ids: () => [...new Set(list.map((h) => h.id))],
    clear() { list = []; },
  };
}
