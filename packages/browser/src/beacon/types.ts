import type { SegletError } from '@seglet/core';

/** One membership change on the wire (runtime spec, section 4). */
export interface BeaconChange {
  segment: string;
  member: boolean;
  /** When the change was observed, ms since the epoch. */
  t: number;
}

/** A batch as queued: the wire body without `sentAt`, which is stamped on every attempt. */
export type BatchBody =
  | { v: 1; id: string; anonymousId: string; userId?: string; changes: BeaconChange[]; members?: string[] }
  | { v: 1; id: string; anonymousId: string; forget: true };

/** A queued batch and its delivery bookkeeping, persisted under the store meta key `beacon`. */
export interface QueuedBatch {
  body: BatchBody;
  /** When it was queued; it is given up 24 h later, once a `fetch` of it has failed. */
  created: number;
  /** Failed fetch attempts so far (drives the backoff). */
  attempts: number;
  /** Not attempted again before this instant (backoff, `Retry-After`). */
  nextAt: number;
  /** Handed to `sendBeacon` on page exit (unacknowledged by nature: resent with `fetch`). */
  beacon?: true;
}

/**
 * The rule set a tab's memberships come from: when the tab got it, and each segment as
 * `"<id> <hash of its definition>"`. Tabs on other rules (a deploy while a tab stays open) agree
 * on it through the beacon state: see `RulesMark` in `BeaconState`.
 */
export interface RulesMark {
  at: number;
  keys: string[];
}

/** The persisted beacon state: what the collector acknowledged for `anonymousId`, and the queue. */
export interface BeaconState {
  v: 1;
  /** Bumped on every write: a tab adopts the stored state only when it is newer than its own (a failed or late write never rolls a tab back). */
  rev: number;
  /** The profile `acked` belongs to; another id starts from an empty set. */
  anonymousId: string | null;
  /** Memberships the collector has acknowledged (or that were given up), sorted. */
  acked: string[];
  /** The id of the batch settled last (acknowledged, refused or given up): part of the next batch ids (see `batchIds`). */
  last: string | null;
  queue: QueuedBatch[];
  /**
   * When a batch for `anonymousId` was last settled: acknowledged, refused or given up (absent in
   * states written before it: taken as the load's time). A profile the collector has not heard of
   * for its `--ttl-days` expires, and memberships that never change send nothing: see `REFRESH_MS`.
   */
  settledAt?: number;
  /**
   * The anonymous id a membership batch was last handed over for (to `fetch`, or taken by
   * `sendBeacon`); kept when `anonymousId` and `acked` start over, gone with a forget or an erase.
   * Under Global Privacy Control a forget request goes only for this id, never for `anonymousId`
   * alone, which is noted as soon as memberships are diffed for it, batched or not. Absent or
   * null: none, unless the state predates it (see `loadState`).
   */
  sent?: string | null;
  /** The `userId` of the last settled batch that carried one: an `identify()` since is sent on its own. */
  user?: string;
  /**
   * The newest rules a tab batched under (latest `at`): they speak for the whole profile. A tab on
   * older rules batches only the segments both define alike and leaves the rest as they stand, or
   * the tabs took turns undoing each other's enters and exits at the collector.
   */
  rules?: RulesMark;
}

/** The slice of the event store the beacon persists through (`EventStore` satisfies it). */
export interface BeaconMetaStore {
  getMeta<T>(key: string): Promise<T | undefined>;
  setMeta(key: string, value: unknown): Promise<void>;
}

/** Error codes the beacon reports: a batch dropped (4xx, 24 h, queue bound) or a bad `url`. */
export type BeaconErrorCode = 'beacon_failed' | 'invalid_option';

/** Options of `createBeacon`. Only `url`, the two id getters, `store` and `onError` are needed in production. */
export interface BeaconOptions {
  /** Collector endpoint; relative URLs resolve against the page (`win.location.href`). */
  url: string;
  /** Read at every batch; call `forget()` before the facade switches to a new id. */
  anonymousId: () => string;
  /** The host's `identify()` id, or null; sent only when non-null. */
  userId: () => string | null;
  /** Where the acknowledged set and the queue persist; null keeps them in this page's memory. */
  store: BeaconMetaStore | null;
  /** Dropped batches and bad options end here; nothing throws. */
  onError: (error: SegletError) => void;
  /** Default true: `navigator.globalPrivacyControl === true` turns batches off (forget requests still go). */
  respectGPC?: boolean;
  /** The rules this tab's memberships come from; without them this tab speaks for every segment. */
  rules?: () => RulesMark | null;
  /** Test seams; defaults are the page's own. */
  now?: () => number;
  fetch?: typeof fetch;
  sendBeacon?: (url: string, body: string) => boolean;
  /** `null` means absent (an in-page guard then keeps one request in flight for this page). */
  locks?: LockManager | null;
  win?: Window;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
}

/** The beacon sender the facade drives. No method throws; promises never reject. */
export interface Beacon {
  /** The current memberships (call after every change and once at `ready`); batches are coalesced for 1 s. */
  update(members: readonly string[]): void;
  /**
   * Page exit (`pagehide`, `visibilitychange: hidden`): pending changes are batched at once and every
   * batch never attempted goes out with `sendBeacon` (`fetch` keepalive when it returns false). They
   * stay queued and are resent with `fetch` on the next load, or 5 s later if the page lives on.
   * Before the persisted state has loaded (a few ms after creation) there is no base to diff
   * against, so nothing is sent: the next load sends the change instead.
   */
  pagehide(): void;
  /**
   * Batches pending changes now and resolves once every due batch has been handed to `fetch` (not
   * acknowledged). Batches waiting out a backoff or `Retry-After` keep waiting; when another tab holds
   * the lock, that tab sends and this resolves at once.
   */
  flush(): Promise<void>;
  /**
   * Drops every queued batch and queues the forget request for the current `anonymousId()` (the
   * only batch kept, retried until acknowledged) once `after` (the store's clear, which would
   * erase the request) is done; resolves once persisted. From the call on nothing more is batched
   * or sent for the forgotten id; switch `anonymousId()` to the new id when it resolves, and a
   * second later the current memberships go out for the new id, diffed against an empty set.
   */
  forget(after?: Promise<unknown>): Promise<void>;
  /**
   * Another tab ran `forget()` for the current `anonymousId()`: drop this tab's queue and
   * acknowledged set from memory (the store holds the forget request) and never send a batch for
   * that id again; switch `anonymousId()` to the new id afterwards, whose memberships are resent.
   */
  reset(): void;
  /** Stops timers; nothing is sent afterwards (a request in flight completes). */
  stop(): void;
}
