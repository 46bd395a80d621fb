/**
 * Empties what a facade test leaves behind: web storage, the body, the seglet database
 * (fake-indexeddb is global and outlives a test, so every test starts from an empty one), and the
 * collectors' marks on the window (a test's landing view is not the previous test's).
 */
export function resetPage(): void {
  localStorage.clear();
  sessionStorage.clear();
  document.body.innerHTML = '';
  indexedDB.deleteDatabase('seglet');
  forgetCollected();
}

/** A new document as the collectors see it: no landing view recorded, no dataLayer entry read. */
export function forgetCollected(): void {
  Reflect.deleteProperty(window, Symbol.for('seglet.lastPageView'));
  Reflect.deleteProperty(window, Symbol.for('seglet.dataLayerRead'));
}
