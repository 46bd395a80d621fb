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
  /** Transitions of the stored set, in application order: these feed counts and webhooks. */
  transitions: MembershipChange[];
  /** The profile's new `setT` (device time of the latest `members` set applied, or -1). */
  setT: number;
}

/**
 * Plans a membership batch against a profile's stored state; pure, so it is the reference the
 * Redis Lua script mirrors and the contract tests check both against.
 *
 * Per segment the latest `t` wins. A segment with no record is a non-member as of `setT`, the
 * device time of the last `members` set applied, so a late batch cannot re-add a segment a newer
 * set left out. Within one batch, later entries at the same `t` override earlier ones. `members`
 * is the profile's set as of the batch's newest change (or `sentAt` when there is none).
 */
export function planBatch(stored: ReadonlyMap<string, SegmentState>, setT: number, beacon: Beacon): BatchPlan {
  const writes = new Map<string, SegmentState>();
  const transitions: MembershipChange[] = [];
  const current = (segment: string) => writes.get(segment) ?? stored.get(segment);
  const set = (segment: string, member: boolean, t: number) => {
    const prev = current(segment);
    if ((prev?.member ?? false) !== member) transitions.push({ segment, member, t });
    writes.set(segment, { member, t });
  };
  for (const c of beacon.changes) {
    const prev = current(c.segment);
    const prevT = prev ? prev.t : setT;
    if (c.t > prevT || (c.t === prevT && writes.has(c.segment))) set(c.segment, c.member, c.t);
  }
  let newSetT = setT;
  if (beacon.members) {
    let mt = beacon.sentAt ?? 0;
    if (beacon.changes.length > 0) mt = Math.max(...beacon.changes.map((c) => c.t));
    const inSet = new Set(beacon.members);
    for (const segment of inSet) {
      const prev = current(segment);
      if (!prev?.member && (prev ? prev.t : setT) <= mt) set(segment, true, mt);
    }
    const known = [...new Set([...stored.keys(), ...writes.keys()])].sort();
    for (const segment of known) {
      const prev = current(segment);
      if (prev?.member && !inSet.has(segment) && prev.t <= mt) set(segment, false, mt);
    }
    newSetT = Math.max(setT, mt);
  }
  return { writes, transitions, setT: newSetT };
}
