import type { StoredEvent } from '../storage/types.js';

/** The host's consent state, as passed to `createSegments` and `segments.consent()`. */
export type ConsentState = 'granted' | 'pending' | 'denied';

/** What one tab tells the others of its origin. */
export type TabMessageBody =
  /**
   * Events tracked in the sending tab (already persisted by it): receivers apply them, never store
   * them. `id`: the sender's anonymous id, so a tab that forgot it drops events tracked under it.
   */
  | { kind: 'events'; events: StoredEvent[]; id?: string }
  /**
   * `forget()` ran: erase memory, snapshot, cookie and queued batches here too, and continue with
   * `id`, the sender's new anonymous id (every tab the same, so `bucket` memberships agree).
   * `old`: the id it forgot; a tab that forgot the same one meanwhile keeps the larger new id.
   */
  | { kind: 'forget'; id?: string; old?: string }
  /** The host changed consent in one tab; the others follow. */
  | { kind: 'consent'; consent: ConsentState };

/** A message on the wire: the body plus protocol version and the sender's tab id. */
export type TabMessage = TabMessageBody & { v: 1; from: string };

/** A BroadcastChannel endpoint. `available` is false where BroadcastChannel is missing (then all no-ops). */
export interface TabChannel {
  readonly available: boolean;
  /** Sends to every other tab of the origin; never throws (an uncloneable message is dropped). */
  post(message: TabMessageBody): void;
  close(): void;
}
