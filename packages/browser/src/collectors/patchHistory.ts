type HistoryMethod = 'pushState' | 'replaceState';

/**
 * Calls `after` once each `history.pushState`/`replaceState` call has returned, and returns the
 * undo. The host's own call keeps its result (a router's wrapper may return one) and its
 * exceptions; `after` must not throw.
 * When another script wrapped the method after us, the undo cannot unwrap without dropping that
 * script's wrapper, so ours is made inert instead.
 */
export function patchHistory(history: History, after: () => void): () => void {
  const undos = (['pushState', 'replaceState'] as const).map((method) => patchOne(history, method, after));
  return () => undos.forEach((undo) => undo());
}

function patchOne(history: History, method: HistoryMethod, after: () => void): () => void {
  const own = Object.hasOwn(history, method);
  const original = history[method];
  // Inherited, the method is looked up at each call, as it was before us: a script that patches
  // History.prototype later (a router, an analytics tag) is still called.
  const proto = Object.getPrototypeOf(history) as History;
  let active = true;
  const wrapper = function (this: History, ...args: Parameters<History[HistoryMethod]>): unknown {
    const result: unknown = (own ? original : proto[method]).apply(this, args);
    if (active) after();
    return result;
  } as History[HistoryMethod];
  history[method] = wrapper;
  return () => {
    active = false;
    if (history[method] !== wrapper) return;
    if (own) history[method] = original;
    else Reflect.deleteProperty(history, method);
  };
}
