/** What the facade does at each page lifecycle moment. */
export interface LifecycleHandlers {
  /** `pagehide` or `visibilitychange: hidden`: start writes and hand beacons over now. */
  hide(): void;
  /** Visible again (after sleep or a background tab): catch the timers up. */
  visible(): void;
  /** `pageshow` with `persisted`: back from the back/forward cache. */
  restored(): void;
}

/**
 * Listens to the page lifecycle; returns the function that stops listening. Never an `unload`
 * listener: it keeps a page out of the back/forward cache.
 */
export function listenLifecycle(win: Window, on: LifecycleHandlers): () => void {
  const doc = win.document;
  const onHide = (): void => on.hide();
  const onVisibility = (): void => {
    if (doc.visibilityState === 'hidden') on.hide();
    else on.visible();
  };
  const onShow = (event: PageTransitionEvent): void => {
    if (event.persisted) on.restored();
  };
  win.addEventListener('pagehide', onHide);
  win.addEventListener('pageshow', onShow);
  doc.addEventListener('visibilitychange', onVisibility);
  return () => {
    win.removeEventListener('pagehide', onHide);
    win.removeEventListener('pageshow', onShow);
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
