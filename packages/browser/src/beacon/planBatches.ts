import type { BatchBody, BeaconChange, QueuedBatch } from './types.js';

/** Largest body the beacon sends (runtime spec: 60 KiB); the collector accepts 64 KiB. */
export const MAX_BODY_BYTES = 60 * 1024;
// `sentAt` is added per attempt: room for `,"sentAt":` and a 16-digit number.
const SENT_AT_BYTES = 27;

const encoder = new TextEncoder();
const bytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;

/** Applies changes, in order, to a membership set; a batch's `members` replaces it outright. */
export function applyBatch(set: readonly string[], body: BatchBody): string[] {
  if ('forget' in body) return [...set];
  if (body.members) return [...body.members].sort();
  const next = new Set(set);
  for (const c of body.changes) {
    if (c.member) next.add(c.segment); else next.delete(c.segment);
  }
  return [...next].sort();
}

/** What the collector will hold once every queued batch lands: the base the next diff is taken from. */
export function expectedSet(acked: readonly string[], queue: readonly QueuedBatch[]): string[] {
  return queue.reduce<string[]>((set, q) => applyBatch(set, q.body), [...acked].sort());
}

/** Enters and exits that turn `base` into `current`, stamped with when each was seen (else `now`). */
export function diffMembers(base: readonly string[], current: readonly string[], seen: ReadonlyMap<string, number>, now: number): BeaconChange[] {
  const from = new Set(base);
  const to = new Set(current);
  const changes: BeaconChange[] = [];
  for (const segment of to) if (!from.has(segment)) changes.push({ segment, member: true, t: seen.get(segment) ?? now });
  for (const segment of from) if (!to.has(segment)) changes.push({ segment, member: false, t: seen.get(segment) ?? now });
  return changes.sort((a, b) => a.t - b.t || (a.segment < b.segment ? -1 : 1));
}

/**
 * Packs `changes` into bodies of at most 60 KiB (with `sentAt`), each with its own id. `members`
 * rides on the last body when it fits there and is left out otherwise: the collector then applies
 * the changes only. Returns no body for no changes (an empty batch is never sent).
 */
export function planBatches(
  changes: readonly BeaconChange[], members: readonly string[], head: { anonymousId: string; userId?: string }, newId: () => string,
): BatchBody[] {
  if (changes.length === 0) return [];
  const make = (part: BeaconChange[]): BatchBody => ({ v: 1, id: newId(), ...head, changes: part });
  const fits = (body: BatchBody): boolean => bytes(body) + SENT_AT_BYTES <= MAX_BODY_BYTES;
  const bodies: BatchBody[] = [];
  let part: BeaconChange[] = [];
  for (const change of changes) {
    if (part.length > 0 && !fits(make([...part, change]))) { bodies.push(make(part)); part = []; }
    part.push(change);
  }
  const last = make(part);
  const withMembers = { ...last, members: [...members].sort() };
  bodies.push(fits(withMembers) ? withMembers : last);
  return bodies;
}
