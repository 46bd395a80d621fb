import type { BatchBody, BeaconChange, QueuedBatch } from './types.js';

/** Largest body the beacon sends (runtime spec: 60 KiB); the collector accepts 64 KiB. */
export const MAX_BODY_BYTES = 60 * 1024;
// `sentAt` is added per attempt: room for `,"sentAt":` and a 16-digit number.
const SENT_AT_BYTES = 27;

const encoder = /*#__PURE__*/ new TextEncoder();
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
  const bodies: BatchBody[] = [];
  // Sizes add up change by change (one comma each), so planning stays linear in the changes.
  const open = (): { id: string; part: BeaconChange[]; size: number } => {
    const id = newId();
    return { id, part: [], size: bytes({ v: 1, id, ...head, changes: [] }) + SENT_AT_BYTES };
  };
  let body = open();
  for (const change of changes) {
    const cost = bytes(change);
    if (body.part.length > 0 && body.size + 1 + cost > MAX_BODY_BYTES) {
      bodies.push({ v: 1, id: body.id, ...head, changes: body.part });
      body = open();
    }
    body.size += cost + (body.part.length > 0 ? 1 : 0);
    body.part.push(change);
  }
  const sorted = [...members].sort();
  const last: BatchBody = { v: 1, id: body.id, ...head, changes: body.part };
  // `,"members":` is 11 bytes.
  bodies.push(body.size + 11 + bytes(sorted) <= MAX_BODY_BYTES ? { ...last, members: sorted } : last);
  return bodies;
}
