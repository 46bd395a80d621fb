import { parseDuration } from './parseDuration.js';
import { warnIfBeyondRetention } from './validateDuration.js';
import { didYouMean } from './validateKeys.js';
import { ctx, fail, show, type SegmentReference } from './validateShared.js';

/**
 * Checks every `segment` reference: the id must exist and references must form no cycle.
 * Each cycle is reported once, at the reference that closes it, as `a -> b -> a`. A hold that,
 * with the windows of its condition and the holds and windows of the segments it reads, reaches
 * back further than `retain.for` draws a warning: a replay (a reload, a rule change) evaluates
 * the condition at every instant of the hold, each looking back its window, and older events are gone.
 */
export function validateReferences(ids: readonly string[], segments?: Record<string, { hold?: unknown }>): void {
  const edges = new Map<string, SegmentReference[]>(ids.map((id) => [id, []]));
  for (const ref of ctx.refs) {
    if (edges.has(ref.to)) edges.get(ref.from)?.push(ref);
    else fail(ref.path, `unknown segment ${show(ref.to)}${didYouMean(ref.to, ids)}`);
  }
  // Iterative depth-first search: a chain of 2,000 references must not exhaust the stack.
  // `open` maps the ids on the current path to true, those done to false.
  const open = new Map<string, boolean>();
  // How far back each segment's membership depends on: its hold plus the longest of its own window
  // and the reach of what it reads.
  const reach = new Map<string, number>();
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
        // A reduce, not a spread: a segment may hold a great many references.
        reach.set(id, (edges.get(id) as SegmentReference[]).reduce((m, e) => Math.max(m, reach.get(e.to) ?? 0), ctx.spans.get(id) ?? 0) + (parseDuration(segments?.[id]?.hold ?? 0) ?? 0));
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
  if (ctx.errors.length) return;
  for (const id of ids) {
    const written = segments?.[id]?.hold;
    const hold = parseDuration(written ?? 0) as number;
    // A hold or a window longer than retain.for on its own has its warning already.
    if (hold && Math.max(hold, ctx.spans.get(id) ?? 0) <= (ctx.retainFor as number)) warnIfBeyondRetention(reach.get(id) as number, `${String(written)} with what it reads: ${+((reach.get(id) as number) / 86_400_000).toFixed(2)}d`, `/segments/${id}/hold`);
  }
}
