import type { Alpha } from '../Alpha.js';
import { PointLeaf, type PointKind } from './PointLeaf.js';

/** `t`: the candidate `value` found last, which `arm` reads at the same instant (see PointKind.arm). */
interface Wait { unlessAlpha: Alpha; afterMs: number; waitMs: number | null; t?: number | undefined }

/** The candidate A, if it is inside `within` and not ended by an `unless` event. */
function pending({ alpha, s }: PointLeaf<Wait>, now: number): number | undefined {
  const a = alpha?.last();
  if (!a || (s.waitMs !== null && a.t <= now - s.waitMs)) return undefined;
  const u = s.unlessAlpha.last();
  return u && u.t >= a.t ? undefined : a.t;
}

/**
 * `abandoned`: the most recent T event (inside `within`) is at least `after` old and no
 * `unless` event has a time at or after it. Reads only the two alphas' newest events.
 */
const ABANDONED: PointKind<Wait> = {
  /** Only an alpha emptying changes the value: the leaf reads their newest events. */
  drop: (leaf) => !leaf.alpha?.last() || !leaf.s.unlessAlpha.last(),
  value(leaf, now) {
    const t = (leaf.s.t = pending(leaf, now));
    return t !== undefined && now - t >= leaf.s.afterMs;
  },
  arm(leaf, now, heap) {
    const { afterMs: after, waitMs: within, t } = leaf.s;
    const end = t === undefined ? Infinity : within === null ? Infinity : t + within;
    heap.set(leaf, t !== undefined && t + after > now ? Math.min(t + after, end) : end);
  },
};

/** An `abandoned` leaf: an `alpha` event, no `unless` event after it, for `after` ms. */
export function abandonedLeaf(alpha: Alpha, unless: Alpha, after: number, within: number | null, text: string): PointLeaf<Wait> {
  const leaf = new PointLeaf(ABANDONED, alpha, text, { unlessAlpha: unless, afterMs: after, waitMs: within });
  if (unless !== alpha) unless.leaves.push(leaf);
  return leaf;
}
