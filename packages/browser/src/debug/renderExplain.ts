import type { ExplainNode, Explanation } from '@seglet/core';

/** `true` ✓, `false` ✗: a verdict readable without colour. */
const mark = (verdict: boolean): string => (verdict ? '\u2713' : '\u2717');

function line(doc: Document, tag: string, verdict: boolean, text: string): HTMLElement {
  const el = doc.createElement(tag);
  el.className = verdict ? 'yes' : 'no';
  const m = doc.createElement('span');
  m.className = 'mark';
  m.textContent = mark(verdict);
  el.append(m, ` ${text}`);
  return el;
}

function node(doc: Document, n: ExplainNode): HTMLLIElement {
  const li = line(doc, 'li', n.verdict, n.text) as HTMLLIElement;
  li.title = n.path;
  if (n.children && n.children.length > 0) {
    const ul = doc.createElement('ul');
    for (const c of n.children) ul.append(node(doc, c));
    li.append(ul);
  }
  return li;
}

/**
 * An explanation as a tree of lines, each with its verdict and the core's reading of the live
 * value (`count of page_view within 24h = 2; needs gte 3`), the JSON pointer as a tooltip. Text
 * only (`textContent`), so event data shown here can never become markup.
 */
export function renderExplain(doc: Document, explanation: Explanation, clock: (t: number) => string): HTMLElement {
  const root = doc.createElement('div');
  root.className = 'explain';
  const status = explanation.member
    ? explanation.holds ? 'member: the condition holds' : `member: held by hold${explanation.holdUntil === null ? '' : ` until ${clock(explanation.holdUntil)}`}`
    : 'not a member: the condition does not hold';
  root.append(line(doc, 'p', explanation.member, status));
  const tree = doc.createElement('ul');
  tree.className = 'tree';
  tree.append(node(doc, explanation.condition));
  root.append(tree);
  return root;
}
