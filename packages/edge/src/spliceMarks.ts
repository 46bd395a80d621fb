import type { Mark } from './findMarks.js';

/** How one mark is replaced: `kind` is s/e (template), t/u (target) or a (attribute). */
export type MarkReplacer = (kind: string, index: number) => string;

/**
 * `html[start, end)` with each of `marks` that lies inside it replaced by what `replace` returns
 * (for an attribute mark, the full attribute text with its leading space, or '' to drop it).
 * `marks` come from {@link findMarks} on the same `html`, in order.
 */
export function spliceMarks(html: string, marks: readonly Mark[], replace: MarkReplacer, start = 0, end = html.length): string {
  let out = '';
  let at = start;
  for (const mark of marks) {
    if (mark.from < start || mark.to > end) continue;
    out += html.slice(at, mark.from) + replace(mark.kind, mark.index);
    at = mark.to;
  }
  return out + html.slice(at, end);
}
