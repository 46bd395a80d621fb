import type { Filled } from './fillTargets.js';

/**
 * A target filled while the parser was still inside it keeps receiving its original children
 * from the parser. This moves each such child, in order, to the saved originals before it can be
 * painted (mutation callbacks run before rendering), so exit restores the complete original.
 * Call it with every mutation batch; it ignores targets that are not open.
 */
export function moveLateChildren(records: readonly MutationRecord[], filled: WeakMap<Element, Filled>): void {
  for (const record of records) {
    if (record.type !== 'childList' || record.addedNodes.length === 0) continue;
    const target = record.target as Element;
    const state = filled.get(target);
    if (!state?.open) continue;
    for (const node of record.addedNodes) {
      if (node.parentNode !== target || state.open.includes(node)) continue;
      state.originals.push(node);
      node.parentNode.removeChild(node);
    }
  }
}
