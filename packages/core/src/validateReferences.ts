import { didYouMean } from './validateKeys.js';
import { ctx, fail, show, type SegmentReference } from './validateShared.js';

/**
 * Checks every `segment` reference: the id must exist and references must form no cycle.
 * Each cycle is reported once, at the reference that closes it, as `a -> b -> a`.
 */
export function validateReferences(ids: readonly string[]): void {
  const edges = new Map<string, SegmentReference[]>(ids.map((id) => [id, []]));
  for (const ref of ctx.refs) {
    if (edges.has(ref.to)) edges.get(ref.from)?.push(ref);
    else fail(ref.path, `unknown segment ${show(ref.to)}${didYouMean(ref.to, ids)}`);
  }
  // Iterative depth-first search: a chain of 2,000 references must not exhaust the stack.
  // `open` maps the ids on the current path to true, those done to false.
  const open = new Map<string, boolean>();
  for (const root of ids) {
    if (open.has(root)) continue;
    const stack = [root];
    const next = [0];
    open.set(root, true);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const id = stack[top] as string;
      const edge = edges.get(id)?.[(next[top] as number)++];
      if (!edge) {
        open.set(id, false);
        stack.pop();
        next.pop();
      } else if (open.get(edge.to)) {
        fail(edge.path, `segments refer to each other in a cycle: ${[...stack.slice(stack.indexOf(edge.to)), edge.to].join(' -> ')}; remove one of these references`);
      } else if (!open.has(edge.to)) {
        open.set(edge.to, true);
        stack.push(edge.to);
        next.push(0);
      }
    }
  }
}
