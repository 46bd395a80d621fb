/** Waits one task: the MutationObserver callbacks queued by a change have run. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
/** The element for `selector` (the tests know it exists). */
export const $ = (selector: string, root: ParentNode = document): HTMLElement => root.querySelector(selector) as HTMLElement;
/** A membership set. */
export const set = (...ids: string[]): ReadonlySet<string> => new Set(ids);

/** Sets the page body. Test fixture only: the code under test never parses HTML. */
export function page(markup: string): void {
  document.body.innerHTML = markup;
}
