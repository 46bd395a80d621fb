import type { Change, Explanation, Props, RuleSet, SegletError } from '@seglet/core';
import type { StorageMode } from './storage/types.js';
import type { ConsentState } from './tabs/types.js';
import type { collectClicks } from './collectors/collectClicks.js';
import type { collectDataLayer } from './collectors/collectDataLayer.js';
import type { collectPageViews } from './collectors/collectPageViews.js';
import type { collectScroll } from './collectors/collectScroll.js';
import type { collectVitals } from './collectors/collectVitals.js';

export type { Change, Explanation, Props, PropValue, RuleSet } from '@seglet/core';
export type { SegletError } from '@seglet/core';
export type { StorageMode } from './storage/types.js';
export type { ConsentState } from './tabs/types.js';

/** Which collectors run. Defaults: everything but `vitals`. `clicks: 'all'` adds links and buttons. */
export interface CollectOptions {
  pageViews?: boolean;
  clicks?: boolean | 'all';
  scroll?: boolean;
  dataLayer?: boolean;
  vitals?: boolean;
}

/**
 * The collectors an entry point carries, under their `collect` keys. `seglet` and the script tag
 * carry all five; `seglet/lean` only those the page passes, so a bundler leaves the others out.
 */
export interface CollectorKit {
  pageViews?: typeof collectPageViews;
  clicks?: typeof collectClicks;
  scroll?: typeof collectScroll;
  dataLayer?: typeof collectDataLayer;
  vitals?: typeof collectVitals;
}

/** Where membership beacons go (runtime section 4). */
export interface BeaconOptions {
  /** Collector endpoint, e.g. `/seglet/beacon`; relative URLs resolve against the page. */
  url: string;
  /** Default true: with `navigator.globalPrivacyControl` on, no membership batch is sent (forget requests still are). */
  respectGPC?: boolean;
}

/** Options of `createSegments`. Only `rules` is required. */
export interface SegmentsOptions {
  /** A rule set object, a URL to fetch it from, or `'#id'` of a `<script type="application/json">`. */
  rules: RuleSet | string;
  /** `'indexeddb'` (default; falls back to memory, reported) or `'memory'`. */
  storage?: StorageMode;
  /** Collectors to run; `false` runs none. */
  collect?: CollectOptions | false;
  /** Membership beacons; default `false`. A URL string is short for `{ url }`. */
  beacon?: BeaconOptions | string | false;
  /** The host's consent on this load; default `'granted'`. */
  consent?: ConsentState;
  /** Mirror memberships into the `seglet_m` cookie for edge workers (needs consent granted). */
  cookie?: boolean;
  /** Apply declarative swaps (`data-seglet-show|hide`, `<template data-seglet-when>`); default true. */
  dom?: boolean;
  /** Extra context keys, e.g. `{ country: 'FR' }` from the server. They win over the browser's own. */
  context?: Props;
  /** Every problem ends here as a `SegletError`; nothing is thrown at the page. */
  onError?: (error: SegletError) => void;
  /**
   * `true`: log membership changes with `console.debug` and show the debug overlay, loaded only
   * then (`seglet/debug`; `seglet-debug.min.js` beside the script tag). Unset: `?seglet_debug` in
   * the page URL shows the overlay. `false`: never, whatever the URL says.
   */
  debug?: boolean;
  /** The window to run in; default the global one (frames, tests). */
  window?: Window;
}

/** Called on entering or leaving a segment. */
export type ChangeHandler = (change: Change) => void;

/** What `createSegments` returns. No method throws; after `destroy()` every method is a no-op. */
export interface Segments {
  /** Resolves once history is restored and calls made before it are applied. Never rejects. */
  readonly ready: Promise<void>;
  /** Where the event log lives now. */
  readonly storage: StorageMode;
  /** Records an event; an invalid one is rejected whole and reported. `t` defaults to the call time. */
  track(type: string, props?: Props, options?: { t?: number }): void;
  /** Records `page_view` for `path` (default `location.pathname`; query and hash dropped). */
  page(path?: string, title?: string): void;
  /** Sets (or with `null` clears) the host's own user id, merging traits. */
  identify(userId: string | null, traits?: Props): void;
  /** Merges context keys (`null` removes one). */
  setContext(context: Props): void;
  /** `enter` runs now if a member (from the snapshot before `ready`), and on every enter; `exit` on leaving. */
  on(id: string, enter: ChangeHandler, exit?: ChangeHandler): () => void;
  has(id: string): boolean;
  /** Current memberships (from the snapshot before `ready`). */
  members(): string[];
  /** Why the user is or is not a member; `null` before `ready` or for an unknown id. */
  explain(id: string): Explanation | null;
  /** Applies swaps under `root` (e.g. a shadow root), which is observed from then on. */
  apply(root: ParentNode): void;
  /** Changes consent (section 7 of the runtime contract); followed by the other tabs. */
  consent(state: ConsentState): void;
  /**
   * Resolves once tracked events are committed and queued beacons handed over (called before
   * `ready`, it waits for `ready`, whose calls may change memberships). Never rejects.
   * After another tab's `forget()`, this tab's writes (and so `flush()`) wait for that tab's
   * deletion, which would otherwise delete them.
   */
  flush(): Promise<void>;
  /** Erases stored data, snapshot, cookies and landing in every tab; continues with a new anonymous id. */
  forget(): Promise<void>;
  /** Stops everything; the page keeps its DOM as it is. */
  destroy(): void;
}
