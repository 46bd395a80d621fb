import type { Network, Seg } from './Network.js';
import type { Node } from './Node.js';
import type { ExplainNode, Explanation } from './types.js';

// "never" is what Infinity means for `since` only (a sum past the largest double is Infinity);
// numbers print as numbers, so a NaN score reads NaN rather than JSON's null.
const show = (v: unknown, kind?: string): string => (v === Infinity && kind === 'since' ? 'never' : typeof v === 'number' ? String(v) : JSON.stringify(v) ?? 'null');
/** A value handed to the caller: an array prop or context value is the log's own, so it is copied. */
const own = (v: unknown): unknown => (Array.isArray(v) ? v.slice() : v);

function node(net: Network, n: Node, now: number): ExplainNode {
  const verdict = net.holds(n, now);
  const base = { kind: n.kind, path: n.path, verdict };
  switch (n.k) {
    case 'all': case 'any': case 'not': {
      const children = n.c.map((c) => node(net, c, now));
      const held = children.filter((c) => c.verdict).length;
      return { ...base, children, text: `${n.k}: ${held} of ${children.length} hold` };
    }
    case 'seg': {
      const value = (net.segs[n.seg] as Seg).isMember;
      return { ...base, value, text: `member of ${n.id}: ${value}` };
    }
    case 'attr': {
      const value = own(net.attr(n.kind, n.key, now));
      return { ...base, value, text: `${n.kind} ${n.key} = ${show(value)}; needs ${n.test.text}` };
    }
    case 'bucket':
      // Truncated, not rounded: 0.99996 shown as 1.0000 contradicted a verdict of "lt 1".
      return { ...base, value: n.value, text: `bucket "${n.salt}" = ${(Math.floor(n.value * 1e4) / 1e4).toFixed(4)}; needs ${n.test.text}` };
    default: {
      const value = own(n.leaf.value(now));
      return { ...base, value, text: `${n.leaf.text} = ${show(value, n.kind)}${n.test ? `; needs ${n.test.text}` : ''}` };
    }
  }
}

/** Each sub-condition of a segment with its live value and verdict, as of the last call. */
export function explain(net: Network, s: Seg): Explanation {
  const now = net.cur;
  const holds = net.holds(s.root, now);
  const holdUntil = !holds && s.isMember && s.falseSince !== null ? s.falseSince + s.holdMs : null;
  return { segment: s.id, member: s.isMember, holds, holdUntil, condition: node(net, s.root, now) };
}
