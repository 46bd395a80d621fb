import type { Beacon, MembershipChange } from './types.js';

/** Stored state of one profile and segment: the latest known membership and its device time. */
export interface SegmentState {
  member: boolean;
  t: number;
}

/** What applying a batch to a profile does. */
export interface BatchPlan {
  /** Segment records to write (new or changed). */
  writes: Map<string, SegmentState>;
  /** Net transitions of the stored set, in first-write order: these feed counts and webhooks. */
  transitions: MembershipChange[];
  /** The profile's new `setT` (device time of the latest `members` set applied, or -1). */
  setT: number;
}

/**
 * Plans a membership batch against a profile's stored state; pure, so it is the reference the
 * Redis Lua script mirrors and the contract tests check both against.
 *
 * Per segment the latest `t` wins. A `members` set fixes the whole profile as of its time
 * (`setT`): a segment's state dates from the later of its own change and `setT`, so a late batch
 * can neither re-add a segment a newer set left out nor remove one it kept. Within one batch, later entries at the same `t` override earlier ones. `members`
 * is the profile's set as of the batch's newest change (or `sentAt` when there is none).
 */
export function planBatch(stored: ReadonlyMap<string, SegmentState>, setT: number, beacon: Beacon): BatchPlan {
  const writes = new Map<string, SegmentState>();
  const transitions: MembershipChange[] = [];
  const current = (segment: string) => writes.get(segment) ?? stored.get(segment);
  // A members set applied at setT fixes every segment's state as of setT, recorded or not.
  const since = (prev: SegmentState | undefined) => Math.max(prev ? prev.t : -1, setT);
  // Device time at which each written segment last changed value (a repeated enter keeps the first).
  const changedAt = new Map<string, number>();
  const set = (segment: string, member: boolean, t: number) => {
    if ((current(segment)?.member ?? false) !== member || !changedAt.has(segment)) changedAt.set(segment, t);
    writes.set(segment, { member, t });
  };
  for (const c of beacon.changes) {
    const prev = current(c.segment);
    const prevT = since(prev);
    if (c.t > prevT || (c.t === prevT && writes.has(c.segment))) set(c.segment, c.member, c.t);
  }
  let newSetT = setT;
  if (beacon.members) {
    let mt = beacon.sentAt ?? 0;
    if (beacon.changes.length > 0) mt = Math.max(...beacon.changes.map((c) => c.t));
    const inSet = new Set(beacon.members);
    for (const segment of inSet) {
      const prev = current(segment);
      if (!prev?.member && since(prev) <= mt) set(segment, true, mt);
    }
    const known = [...new Set([...stored.keys(), ...writes.keys()])].sort();
    for (const segment of known) {
      const prev = current(segment);
      if (prev?.member && !inSet.has(segment) && since(prev) <= mt) set(segment, false, mt);
    }
    newSetT = Math.max(setT, mt);
  }
  // Only the net change of each segment is a transition: flapping inside one batch is not.
  for (const [segment, w] of writes) {
    if ((stored.get(segment)?.member ?? false) !== w.member) transitions.push({ segment, member: w.member, t: changedAt.get(segment) ?? w.t });
  }
  return { writes, transitions, setT: newSetT };
}
