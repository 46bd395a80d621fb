/**
 * Empties what a facade test leaves behind: web storage, the body, and the seglet database
 * (fake-indexeddb is global and outlives a test, so every test starts from an empty one).
 */
export function resetPage(): void {
  localStorage.clear();
  sessionStorage.clear();
  document.body.innerHTML = '';
  indexedDB.deleteDatabase('seglet');
}
