import type { Mark } from './findMarks.js';

/** Marks by `${kind}${index}`, as {@link findMarks} found them. */
export type MarksByName = ReadonlyMap<string, Mark>;

/**
 * For each filled target, the seglet templates among its original children (at any depth) that
 * stay live in it, in document order: the browser's fill keeps them as the target's first children
 * (they are inert) so a later pass still finds them, where moved into `data-seglet-original` they
 * would be invisible to it and exit could never happen. A template inside nested filled targets
 * goes to the outermost, as the browser's fill of that one lifts it out of the rest. Only templates
 * framed by both their `p`/`q` marks (closed) move.
 */
export function keptTemplates(filled: Iterable<number>, byName: MarksByName, templateCount: number): Map<number, number[]> {
  const targets: { index: number; from: number; to: number }[] = [];
  for (const index of filled) {
    const open = byName.get(`t${index}`);
    const close = byName.get(`u${index}`);
    if (open !== undefined && close !== undefined) targets.push({ index, from: open.to, to: close.from });
  }
  const kept = new Map<number, number[]>();
  if (targets.length === 0) return kept;
  // Outermost first: it starts earliest among those that contain the template.
  targets.sort((a, b) => a.from - b.from);
  for (let i = 0; i < templateCount; i++) {
    const before = byName.get(`p${i}`);
    const after = byName.get(`q${i}`);
    if (before === undefined || after === undefined) continue;
    const owner = targets.find((t) => t.from <= before.from && after.to <= t.to);
    if (owner === undefined) continue;
    const list = kept.get(owner.index) ?? [];
    list.push(i);
    kept.set(owner.index, list);
  }
  return kept;
}
