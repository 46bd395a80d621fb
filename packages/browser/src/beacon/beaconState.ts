import { randomId } from '../facade/randomId.js';
import type { BeaconMetaStore, BeaconState, QueuedBatch } from './types.js';

/** Store meta key of the beacon state (one key, so a write replaces acked set and queue together). */
export const STATE_KEY = 'beacon';
/** Queue bound: past it the oldest batches are given up (each carries `members`, so a later one resynchronises). */
export const MAX_QUEUE = 64;

export const emptyState = (rev = 0): BeaconState => ({ v: 1, rev, anonymousId: null, acked: [], last: null, queue: [] });

/** A new state at `rev` keeping only the forget requests of `state`: they are the deletion itself and outlive any reset. */
export const forgetsOnly = (state: BeaconState, rev = 0): BeaconState => ({ ...emptyState(rev), queue: state.queue.filter((q) => 'forget' in q.body) });

/** A forget request for `anonymousId`, queued at `now` and due at once. */
export const forgetRequest = (anonymousId: string, now: number): QueuedBatch => ({
  body: { v: 1, id: randomId(), anonymousId, forget: true }, created: now, attempts: 0, nextAt: now,
});

/** Global Privacy Control is on and honoured (`beacon.respectGPC` not false): no membership batch is made. */
export const underGPC = (nav: Navigator, beacon?: { respectGPC?: boolean }): boolean => beacon?.respectGPC !== false && (nav as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

/**
 * Whether a forget request for `id` may be queued, `state` being the beacon state from before the
 * erase. Under GPC only for the profile a batch was handed over for (before GPC was on): for any
 * other id the request would only tell the collector an id it has never seen, which keeps it as a
 * tombstone. Not `anonymousId`: it is noted for a diff that made no batch, or one never handed over.
 */
export const mayForget = (state: BeaconState, id: string, gpc?: boolean): boolean => !gpc || state.sent === id;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function isBatch(v: unknown): v is QueuedBatch {
  if (typeof v !== 'object' || v === null) return false;
  const q = v as Record<string, unknown>;
  const body = q.body as Record<string, unknown> | null;
  return typeof q.created === 'number' && typeof q.attempts === 'number' && typeof q.nextAt === 'number'
    && typeof body === 'object' && body !== null && body.v === 1 && typeof body.id === 'string' && typeof body.anonymousId === 'string'
    && (body.forget === true || Array.isArray(body.changes));
}

/** Reads the persisted state; a missing or malformed value (another version, damage) is an empty state. */
export async function loadState(store: BeaconMetaStore): Promise<{ state: BeaconState; corrupt: boolean }> {
  let raw: unknown;
  try { raw = await store.getMeta<unknown>(STATE_KEY); } catch { raw = undefined; }
  if (raw === undefined) return { state: emptyState(), corrupt: false };
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<BeaconState>;
  const { acked, queue: stored, anonymousId, rev, last } = s;
  if (s.v !== 1 || !isStringArray(acked) || !Array.isArray(stored) || !(anonymousId === null || typeof anonymousId === 'string')) {
    return { state: emptyState(), corrupt: true };
  }
  const queue = stored.filter(isBatch);
  const state: BeaconState = {
    v: 1, rev: typeof rev === 'number' ? rev : 0, anonymousId, acked, last: typeof last === 'string' ? last : null, queue,
    // Without it (a state from before it was noted, or from a tab still on such a version): a
    // non-empty `acked` means a membership batch for `anonymousId` had its fetch answered
    // (acknowledged or refused; rarely, given up), so the collector has the id, and the profiles
    // it covers, every one in a segment, are the erase GPC's forget request exists for. Nothing
    // else there proves a batch left the device (`anonymousId` is noted for a diff that made
    // none): a profile whose memberships went back to none gets no request, rather than one that
    // may name an id the collector never had. In states since, `acked` is non-empty only after a
    // batch was handed over, which noted `sent`, so reading it this way changes nothing there.
    sent: typeof s.sent === 'string' ? s.sent : acked.length > 0 ? anonymousId : null,
  };
  // Absent before tabs noted their rules, and a damaged one is only forgotten: the next batch notes it again.
  if (typeof s.rules?.at === 'number' && isStringArray(s.rules.keys)) state.rules = s.rules;
  if (typeof s.settledAt === 'number') state.settledAt = s.settledAt;
  if (typeof s.user === 'string') state.user = s.user;
  return { state, corrupt: queue.length !== stored.length };
}

/** Persists the state; storage failures are the store's to report, the beacon carries on from memory. */
export async function saveState(store: BeaconMetaStore, state: BeaconState): Promise<void> {
  state.rev++;
  try { await store.setMeta(STATE_KEY, structuredClone(state)); } catch { /* reported by the store */ }
}
