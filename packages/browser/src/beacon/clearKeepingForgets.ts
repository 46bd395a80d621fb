import { forgetRequest, forgetsOnly, loadState, mayForget, saveState } from './beaconState.js';
import type { BeaconMetaStore } from './types.js';

/**
 * Empties `store`, keeping only the forget requests queued in it and not yet acknowledged (the
 * collector was down): they are the deletion itself, so an erase after them (consent denied on the
 * next page, a second forget) must not drop them. With `forget` (an anonymous id, or a read of the
 * stored one issued before this call), a request for it joins them, under Global Privacy Control
 * (`gpc`) only if the state before the clear shows a batch was handed over for it (`mayForget`,
 * as `forget()` checks). Once stored, the next beacon with consent sends them. `seal`: see
 * `EventStore.clear`.
 */
export async function clearKeepingForgets(
  store: BeaconMetaStore & { clear(elsewhere?: boolean, seal?: string): Promise<boolean> }, forget: unknown, now: number, gpc?: boolean, seal?: string,
): Promise<void> {
  // Issued before the clear, which waits for the Web Lock: the read comes first.
  const before = loadState(store);
  const cleared = await store.clear(false, seal);
  // Sealed by the erase it finishes, done after all: what is stored now is kept, and the request
  // joins it unless queued already (a page that could not send it left the note for this one).
  const prior = (await before).state;
  const state = cleared ? forgetsOnly(prior) : (await loadState(store)).state;
  const id = await forget;
  // Emptied by an erase before this one (the one it finishes, sealed; a denial that carried the
  // note), the state no longer shows the id was batched: under GPC no request goes then, rather
  // than one that may name an id the collector never had.
  const add = typeof id === 'string' && mayForget(prior, id, gpc) && (cleared || !state.queue.some((q) => 'forget' in q.body && q.body.anonymousId === id));
  if (add) state.queue.push(forgetRequest(id, now));
  if (add || (cleared && state.queue.length > 0)) await saveState(store, state);
}
