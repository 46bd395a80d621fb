/** One target to fill: the first element `selector` matches gets `content`. */
export interface Fill {
  selector: string;
  /** Source of the chosen template's content (visibility already applied). */
  content: string;
  /** Value of `data-seglet-applied`: the ids of the template that hold. */
  applied: string;
}

/** How a fill went: `unsupported` selector, target `missing`, `void` or never `unclosed`. */
export type FillProblem = 'unsupported' | 'missing' | 'void' | 'unclosed';

/** Elements that cannot have children: a template cannot fill them. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Second pass (HTMLRewriter, text only): the first element each selector matches keeps its
 * original children inside a `<template data-seglet-original>` and receives the template's content
 * after it, and gets `data-seglet-applied`. An element two selectors match is filled once, by the
 * fill listed first (the earlier template). Comments starting with `nonce` (the first pass's
 * markers) are removed. `onProblem` is told about each fill that did not happen.
 */
export async function fillTargets(html: string, fills: Fill[], nonce: string, onProblem: (fill: Fill, problem: FillProblem) => void): Promise<{ html: string; unclosed: Fill[] }> {
  const rewriter = new HTMLRewriter().onDocument({
    comments(comment) {
      if (comment.text.startsWith(nonce)) comment.remove();
    },
  });
  // Counts elements, so a fill can tell that an earlier selector already took this element.
  let seq = 0;
  let takenAt = -1;
  if (fills.length > 1) rewriter.on('*', { element() { seq++; } });
  const states = fills.map((fill) => ({ fill, matched: false, filled: false, closed: false, usable: true }));
  for (const own of states) {
    const { fill } = own;
    try {
      rewriter.on(fill.selector, {
        element(el) {
          if (own.matched) return;
          own.matched = true;
          if (takenAt === seq && fills.length > 1) return;
          if (VOID.has(el.tagName)) {
            own.usable = false;
            onProblem(fill, 'void');
            return;
          }
          takenAt = seq;
          own.filled = true;
          el.prepend('<template data-seglet-original>', { html: true });
          el.append(`</template>${fill.content}`, { html: true });
          el.setAttribute('data-seglet-applied', fill.applied);
          el.onEndTag(() => {
            own.closed = true;
          });
        },
      });
    } catch {
      own.usable = false;
      onProblem(fill, 'unsupported');
    }
  }
  const out = await rewriter.transform(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })).text();
  const unclosed: Fill[] = [];
  for (const own of states) {
    if (!own.usable) continue;
    if (!own.matched) onProblem(own.fill, 'missing');
    else if (own.filled && !own.closed) unclosed.push(own.fill);
  }
  return { html: out, unclosed };
}
