import { parseIds } from './segmentIds.js';
import type { SwapErrorCode } from './swapErrors.js';

/** Templates that fill a target for members. */
export const TEMPLATE_SELECTOR = 'template[data-seglet-when]';

/** What a filled target remembers: its original nodes, and which template filled it. */
export interface Filled {
  originals: Node[];
  /** The template whose clone is in place; `null` while the content is the edge's. */
  by: HTMLTemplateElement | null;
  /** The edge's `data-seglet-applied` value while its content is in place. */
  edge?: string;
  /** Filled while the parser was still inside it: the top-level nodes that are the clone's. */
  open?: Node[];
  /**
   * Cloned from a template the parser may still be inside: the clone's size() (scripts left out, so
   * one with scripts never matches), or -1 with the comment of an open target. Cloned again once the
   * template is complete only if its size differs: a draft of content complete already is the fill.
   */
  draft?: number | false;
  /** Templates that sat deeper inside the originals, kept in the target meanwhile: where they go back. */
  moved?: [tpl: Element, parent: Node, after: Node | null][];
}

/** Everything a template pass needs; `filled` lives as long as the swapper. */
export interface FillContext {
  members: ReadonlySet<string>;
  filled: WeakMap<Element, Filled>;
  /**
   * The targets filled now, whatever template filled them: one whose template was removed or aimed
   * elsewhere is no longer found through any template, yet must get its originals back.
   */
  live: Set<Element>;
  /** Selectors that failed to parse. */
  badSelectors: Set<string>;
  /** While the document is parsing, elements not yet closed are left for a later pass. */
  loading: boolean;
  check: (id: string) => void;
  report: (code: SwapErrorCode, message: string) => void;
  /** Applies visibility to fresh nodes before they are inserted. */
  prepare: (nodes: ParentNode) => void;
}

/**
 * Fills each target named by `<template data-seglet-when="ids" data-seglet-into="selector">` under
 * `scope` (a document, shadow root or detached tree: every template for a target must be seen to
 * choose the first) with a clone of the first template, in document order, whose segments hold,
 * and puts the original nodes back when none holds. Content is cloned DOM: nothing is ever parsed
 * as HTML. Returns 0 when `scope` has no template, 1 when all are settled, 2 when something is left
 * for a later pass (not parsed yet, or target missing). `eager` is for a frame's rendering update,
 * just before paint: a template the parser may still be inside then fills its target as a draft
 * rather than let the frame show the originals.
 */
export function fillTargets(scope: ParentNode, ctx: FillContext, eager?: boolean): 0 | 1 | 2 {
  // Each target's templates in document order, with their ids.
  const found = new Map<Element, [HTMLTemplateElement, string[]][]>();
  const templates = scope.querySelectorAll<HTMLTemplateElement>(TEMPLATE_SELECTOR);
  let pending = false;
  for (const tpl of templates) {
    // In <svg> or <math> the parser makes <template> an element of that language, without content
    // (the selector matches it all the same).
    if (!('content' in (tpl as Element))) {
      ctx.report('swap_failed', `a template data-seglet-when="${(tpl.getAttribute('data-seglet-when') ?? '').slice(0, 100)}" inside <svg> or <math> is no HTML template: it fills nothing`);
      continue;
    }
    const parsing = ctx.loading && !parsedPast(tpl);
    pending ||= parsing;
    const selector = tpl.getAttribute('data-seglet-into') ?? '';
    const shown = selector.slice(0, 100);
    if (!selector) {
      ctx.report('swap_target_missing', `a template data-seglet-when="${(tpl.getAttribute('data-seglet-when') ?? '').slice(0, 100)}" has no data-seglet-into`);
      continue;
    }
    let target: Element | null = null;
    try {
      // Remembered: some engines cache a failed parse and answer null the second time.
      if (ctx.badSelectors.has(selector)) throw new SyntaxError(selector);
      target = (tpl.getRootNode() as unknown as ParentNode).querySelector(selector);
    } catch {
      ctx.badSelectors.add(selector);
      ctx.report('swap_invalid_selector', `data-seglet-into="${shown}" is not a valid selector`);
      continue;
    }
    if (!target) {
      pending = true;
      if (!ctx.loading) ctx.report('swap_target_missing', `data-seglet-into="${shown}" matches no element`);
      continue;
    }
    // Between frames its target keeps what it has: the draft this template made, or else what the
    // complete templates make of it.
    if (parsing && !eager && ctx.filled.get(target)?.by !== tpl) continue;
    const ids = parseIds(tpl.getAttribute('data-seglet-when'));
    ids.forEach(ctx.check);
    const list = found.get(target) ?? [];
    found.set(target, list);
    list.push([tpl, ids]);
  }
  for (const target of ctx.live) {
    if (target.getRootNode() === scope) {
      if (!found.has(target)) found.set(target, []);
    } else if (!target.isConnected) ctx.live.delete(target); // its state stays in `filled`, should it come back
  }
  for (const [target, list] of found) {
    const open = ctx.loading && !parsedPast(target);
    if (open) pending = true;
    // The edge's children (and its saved originals) are still arriving: adopt them once complete.
    if (open && target.hasAttribute('data-seglet-applied')) continue;
    settle(target, list, ctx, open);
  }
  return pending ? 2 : templates.length > 0 ? 1 : 0;
}

function settle(target: Element, list: [HTMLTemplateElement, string[]][], ctx: FillContext, open: boolean): void {
  const first = (ids: ReadonlySet<string>): HTMLTemplateElement | undefined => list.find(([, when]) => when.some((id) => ids.has(id)))?.[0];
  const tpl = first(ctx.members);
  const state = ctx.filled.get(target) ?? adoptEdge(target, ctx);
  if (state && !open) delete state.open;
  if (!tpl) {
    if (!state) return;
    ctx.filled.delete(target);
    ctx.live.delete(target);
    target.removeAttribute('data-seglet-applied');
    target.replaceChildren(...state.originals);
    // After the node that preceded it: the next one may be a template lifted too, not back yet, and
    // the parser appends after it to an open parent meanwhile.
    for (const [el, parent, after] of state.moved ?? []) parent.insertBefore(el, after ? after.nextSibling : parent.firstChild);
    ctx.prepare(target);
    return;
  }
  ctx.live.add(target);
  // A draft is cloned again once, from the complete content, not at each frame meanwhile: the
  // parser may wait on the network for long, and every clone rebuilds the target's nodes.
  const draft = ctx.loading && !parsedPast(tpl);
  // Cloned again, an iframe or video would load twice and a custom element be built twice.
  if (state?.by === tpl && (draft || !state.draft || state.draft === size(tpl.content))) {
    state.draft = draft && state.draft;
    return;
  }
  // The edge's content stays when it names no segment, or when the edge chose this template: the
  // first whose segment its marks hold (they are the chosen template's ids the visitor held there).
  const marks = parseIds(state?.edge ?? null);
  if (state && state.by === null && (marks.length === 0 || first(new Set(marks)) === tpl)) {
    state.by = tpl;
    return;
  }
  const doc = target.ownerDocument ?? document;
  const clone = doc.importNode(tpl.content, true);
  // A template's script runs once, when it fills its target: a draft's would run, then run again
  // from the whole content.
  if (draft) for (const script of clone.querySelectorAll('script')) script.remove();
  ctx.prepare(clone);
  // While the parser is inside the target it appends the rest of the original children: a last
  // node that is not text keeps it from appending characters to the clone's own text.
  if (open) clone.append(doc.createComment(''));
  const next: Filled = state ?? { originals: Array.from(target.childNodes), by: tpl };
  next.by = tpl;
  next.draft = draft && (open ? -1 : size(clone));
  ctx.filled.set(target, next);
  // Templates inside the target stay in it (they are inert): removed with the originals, no pass
  // would find them again, and exit would never bring the original children back. One nested
  // deeper is lifted out of the originals while they are away, and put back where it was.
  const kept: Node[] = [];
  for (const el of target.querySelectorAll(TEMPLATE_SELECTOR)) {
    if (el.parentNode !== target) {
      if (!el.parentNode) continue;
      (next.moved ??= []).push([el, el.parentNode, el.previousSibling]);
    }
    kept.push(el);
  }
  // Kept templates are re-inserted too: not late children of the parser, to leave where they are.
  // They go last: a draft's template must not seem parsed past because the clone follows it.
  if (open) next.open = [...clone.childNodes, ...kept];
  target.replaceChildren(clone, ...kept);
}

/**
 * A target the edge filled carries `data-seglet-applied` and keeps its original children in a
 * `<template data-seglet-original>`: take those over as the originals, so exit restores them. The
 * seglet templates the edge's markup keeps live ahead of it (those among the original children; a
 * fill done here puts them after the clone instead, see settle()) are originals too: dropped on
 * exit, no pass would find them to fill the target again.
 * Any after it are the fill's, which the browser's own exit drops as well.
 */
function adoptEdge(target: Element, ctx: FillContext): Filled | undefined {
  if (!target.hasAttribute('data-seglet-applied')) return undefined;
  const kept: Node[] = [];
  for (const child of target.children) {
    if (child.matches('template[data-seglet-original]')) {
      const fragment = (target.ownerDocument ?? document).importNode((child as HTMLTemplateElement).content, true);
      const state: Filled = { originals: [...kept, ...fragment.childNodes], by: null, edge: target.getAttribute('data-seglet-applied') ?? '' };
      ctx.filled.set(target, state);
      return state;
    }
    if (child.matches(TEMPLATE_SELECTOR)) kept.push(child);
  }
  return undefined;
}

/**
 * Grows with whatever the parser adds to template content (elements, or text, even appended to
 * a text node; the adoption agency clones an element), never 0. Comments are not counted.
 */
function size(nodes: DocumentFragment): number {
  return nodes.querySelectorAll('*').length + (nodes.textContent as string).length + 1;
}

/** Whether the parser has moved past `node` (something follows it or an ancestor), so it is complete. */
export function parsedPast(node: Node): boolean {
  for (let n: Node | null = node; n && n.nodeType !== 9; n = n.parentNode) {
    if (n.nextSibling) return true;
  }
  return false;
}
