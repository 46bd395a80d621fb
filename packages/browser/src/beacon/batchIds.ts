import { bucketOf } from '@seglet/core';
import type { BeaconChange, BeaconState } from './types.js';

/**
 * The ids of one fold's batches, derived from what they say and where the queue stands rather
 * than drawn at random: tabs that close within the coalescing second each send the same change
 * with `sendBeacon` (`pagehide` cannot wait for the lock), and one id lets the collector apply it
 * once. The batch settled last and the batches still queued are part of it, so a change that
 * comes back later (enter, exit, enter again) gets a new id; the anonymous id leads it, since the
 * collector de-duplicates across all profiles. Change times are left out: each tab saw the
 * change a little apart.
 */
export function batchIds(state: BeaconState, anonymousId: string, changes: readonly BeaconChange[]): () => string {
  // The settled and queued batches fix the base the changes apply to, so they say it all.
  const said = JSON.stringify([state.last, state.queue.map((q) => q.body.id), changes.map((c) => [c.segment, c.member])]);
  // The digits of a 32-bit hash over 2^32.
  const hash = String(bucketOf(said, anonymousId)).slice(2, 12);
  let part = 0;
  return () => `${anonymousId.slice(0, 80)}_${hash}_${part++}`;
}
