import { forgetRequest, forgetsOnly, loadState, saveState } from './beaconState.js';
import type { BeaconMetaStore } from './types.js';

/**
 * Empties `store`, keeping only the forget requests queued in it and not yet acknowledged (the
 * collector was down): they are the deletion itself, so an erase after them (consent denied on the
 * next page, a second forget) must not drop them. With `forget` (an anonymous id, or a read of the
 * stored one issued before this call), a request for it joins them. Once stored, the next beacon
 * with consent sends them.
 */
export async function clearKeepingForgets(
  store: BeaconMetaStore & { clear(): Promise<void> }, forget: unknown, now: number,
): Promise<void> {
  // Issued before the clear, which waits for the Web Lock: the read comes first.
  const before = loadState(store);
  await store.clear();
  const state = forgetsOnly((await before).state);
  const id = await forget;
  if (typeof id === 'string') state.queue.push(forgetRequest(id, now));
  if (state.queue.length > 0) await saveState(store, state);
}
