import { SegletError, type Change } from '@seglet/core';
import type { ChangeHandler } from '../types.js';
import type { Report } from './createReporter.js';

interface Handler { id: string; enter: ChangeHandler; exit: ChangeHandler | undefined; entered: boolean; removed: boolean }

/** The `on()` handlers of the facade, which outlive engines (rebuilt on forget) and the snapshot phase. */
export interface Handlers {
  /** Registers; calls `enter` at once when `member`. Returns the unsubscribe function. */
  add(id: string, enter: ChangeHandler, exit: ChangeHandler | undefined, member: boolean, t: number): () => void;
  /** Delivers one engine change to the handlers of its segment. */
  change(change: Change): void;
  /** Brings every handler to `members` (exits first, then enters): the snapshot corrected at `ready`. */
  sync(members: ReadonlySet<string>, t: number): void;
  /**
   * Removes the handlers of `id` (an id the rules turned out not to define); those that saw an
   * enter (from the snapshot) get their exit first, as the swaps are taken back.
   */
  drop(id: string, t: number): void;
  ids(): string[];
  clear(): void;
}

/**
 * Each handler remembers whether it saw an enter, so enter never fires twice for one membership
 * and an exit is only ever sent after an enter, whatever mix of snapshot and engine drove it.
 * A throwing handler is reported as `callback_failed` and the others still run.
 */
export function createHandlers(report: Report): Handlers {
  // Arrays are replaced, never changed in place, so a delivery loop walks the handlers of its
  // moment; `removed` skips one unsubscribed meanwhile. By segment: a change reaches its own
  // handlers without a walk over every `on()` of the page.
  let list: Handler[] = [];
  let byId = new Map<string, Handler[]>();
  const call = (fn: ChangeHandler | undefined, change: Change): void => {
    if (!fn) return;
    try {
      fn(change);
    } catch (cause) {
      report(new SegletError('callback_failed', `an ${change.member ? 'enter' : 'exit'} callback of "${change.segment}" threw`, { cause }));
    }
  };
  const deliver = (h: Handler, change: Change): void => {
    if (h.removed || change.member === h.entered) return;
    h.entered = change.member;
    call(change.member ? h.enter : h.exit, change);
  };
  const keep = (which: (h: Handler) => boolean): void => {
    for (const h of list) if (!which(h)) h.removed = true;
    list = list.filter(which);
    byId = new Map();
    for (const h of list) byId.set(h.id, [...(byId.get(h.id) ?? []), h]);
  };
  return {
    add(id, enter, exit, member, t) {
      const h: Handler = { id, enter, exit, entered: false, removed: false };
      list = [...list, h];
      byId.set(id, [...(byId.get(id) ?? []), h]);
      if (member) deliver(h, { segment: id, member: true, t });
      return () => {
        if (h.removed) return;
        h.removed = true;
        list = list.filter((x) => x !== h);
        const rest = (byId.get(id) ?? []).filter((x) => x !== h);
        if (rest.length) byId.set(id, rest);
        else byId.delete(id);
      };
    },
    change(change) {
      for (const h of byId.get(change.segment) ?? []) deliver(h, change);
    },
    sync(members, t) {
      for (const member of [false, true]) {
        for (const h of list) if (members.has(h.id) === member && h.entered !== member) deliver(h, { segment: h.id, member, t });
      }
    },
    drop(id, t) {
      for (const h of byId.get(id) ?? []) deliver(h, { segment: id, member: false, t });
      keep((h) => h.id !== id);
    },
    ids: () => [...byId.keys()],
    clear() { keep(() => false); },
  };
}
