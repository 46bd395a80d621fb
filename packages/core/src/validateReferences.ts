import { didYouMean } from './validateKeys.js';
import { fail, show, type ValidationContext } from './validateShared.js';

/**
 * Checks every `segment` reference: the id must exist and references must form no cycle.
 * Each cycle is reported once, at the reference that closes it, as `a -> b -> a`.
 */
export function validateReferences(ctx: ValidationContext, ids: readonly string[]): void {
  const known = new Set(ids);
  const edges = new Map<string, { to: string; path: string }[]>();
  for (const ref of ctx.refs) {
    if (!known.has(ref.to)) {
      fail(ctx, ref.path, `unknown segment ${show(ref.to)}${didYouMean(ctx, ref.to, ids)}`);
      continue;
    }
    const list = edges.get(ref.from);
    if (list) list.push(ref);
    else edges.set(ref.from, [ref]);
  }
  // Iterative depth-first search: a chain of 2,000 references must not exhaust the stack.
  const state = new Map<string, 'open' | 'done'>();
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const edge = edges.get(frame.id)?.[frame.next++];
      if (edge === undefined) {
        state.set(frame.id, 'done');
        stack.pop();
      } else if (state.get(edge.to) === 'open') {
        const cycle = stack.slice(stack.findIndex((f) => f.id === edge.to)).map((f) => f.id);
        fail(ctx, edge.path, `segments refer to each other in a cycle: ${[...cycle, edge.to].join(' -> ')}; remove one of these references`);
      } else if (!state.has(edge.to)) {
        state.set(edge.to, 'open');
        stack.push({ id: edge.to, next: 0 });
      }
    }
  }
}
