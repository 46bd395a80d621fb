import { parseIds } from './segmentIds.js';

/** Elements whose visibility follows memberships. */
export const VISIBILITY_SELECTOR = '[data-seglet-show],[data-seglet-hide]';

/**
 * Sets `hidden` on one element: `data-seglet-show="a,b"` is shown only to members of any of the
 * ids, `data-seglet-hide` hidden from them (both present: both must allow it). The attribute is
 * touched only when it changes, so already-right elements cost no mutation or style work.
 * `check` is called with every id read (to report unknown ones).
 */
export function applyVisibility(el: Element, members: ReadonlySet<string>, check: (id: string) => void): void {
  const holds = (list: string | null): boolean => {
    let any = false;
    for (const id of parseIds(list)) {
      check(id);
      if (members.has(id)) any = true;
    }
    return any;
  };
  const show = el.getAttribute('data-seglet-show');
  const hide = el.getAttribute('data-seglet-hide');
  const visible = (show === null || holds(show)) && !(hide !== null && holds(hide));
  if (el.hasAttribute('hidden') === visible) el.toggleAttribute('hidden', !visible);
}

/**
 * Applies visibility to `root` itself (when an element) and every element below it. One element
 * that fails (a hostile page can break its methods) goes to `fail` and the others still get theirs.
 */
export function applyVisibilityTree(
  root: ParentNode,
  members: ReadonlySet<string>,
  check: (id: string) => void,
  fail: (cause: unknown) => void,
): void {
  const one = (el: Element): void => {
    try {
      applyVisibility(el, members, check);
    } catch (cause) {
      fail(cause);
    }
  };
  if ((root as Element).matches?.(VISIBILITY_SELECTOR)) one(root as Element);
  for (const el of root.querySelectorAll(VISIBILITY_SELECTOR)) one(el);
}
