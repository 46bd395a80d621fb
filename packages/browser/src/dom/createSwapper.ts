import type { SegletError } from '@seglet/core';
import { applyVisibility, applyVisibilityTree, VISIBILITY_SELECTOR } from './applyVisibility.js';
import { fillTargets, TEMPLATE_SELECTOR, type FillContext } from './fillTargets.js';
import { moveLateChildren } from './lateChildren.js';
import { createReporter, segmentPointer } from './swapErrors.js';

/** Options of {@link createSwapper}. */
export interface SwapperOptions {
  /** Receives problems (see `SwapErrorCode`); nothing is ever thrown. */
  onError?: (error: SegletError) => void;
  /** Whether the rules define an id; answer true while the rules are not known yet. */
  known?: (id: string) => boolean;
}

/** Applies declarative swaps (`data-seglet-show|hide`, `<template data-seglet-when>`). */
export interface Swapper {
  /**
   * Makes every swap element under `root` (default: the document and every shadow root passed
   * before) match `members`. A shadow root passed here is remembered and observed from then on.
   * A target's template is chosen among all of those in `root`'s document or shadow root, so an
   * element `root` never makes a later template win over an earlier one outside it.
   * `members` is kept, not copied: elements parsed later get the set as it is then, and the page
   * calls again after each change (a copy per change was a large share of its garbage per event).
   */
  apply(members: ReadonlySet<string>, root?: ParentNode): void;
  /** Watches for swap elements parsed or added later, for the page's life, until `stop()`. */
  observe(): void;
  /** Stops observing. The DOM stays as it is. */
  stop(): void;
}

const ATTRIBUTES = ['data-seglet-show', 'data-seglet-hide', 'data-seglet-when', 'data-seglet-into'];

/**
 * Creates the swapper. Swaps use the `hidden` attribute (author CSS must not override `[hidden]`)
 * and cloned template content, never HTML strings, so pages under Trusted Types work. Elements are
 * handled in the MutationObserver callback of their insertion, a microtask before any paint; a
 * template the parser may still be inside, in the next frame's rAF callback (see fillTargets).
 */
export function createSwapper(doc: Document, options: SwapperOptions = {}): Swapper {
  const report = createReporter(options.onError);
  const failed = (cause: unknown): void => report('swap_failed', `a swap failed: ${String(cause).slice(0, 200)}`, '', cause);
  const roots = new Set<ParentNode>([doc]);
  // Scopes with a template pass left to finish, and scopes that hold templates at all: in those,
  // any added element may be a target rendered again (a client-side route change).
  const pending = new Set<ParentNode>();
  const templated = new Set<ParentNode>();
  const ctx: FillContext = {
    members: new Set(),
    filled: new WeakMap(),
    live: new Set(),
    badSelectors: new Set(),
    loading: false,
    check: (id) => {
      let ok = true;
      try {
        ok = options.known ? options.known(id) : true;
      } catch {
        ok = true;
      }
      if (!ok) report('unknown_segment', `unknown segment "${id.slice(0, 64)}" in a swap attribute`, segmentPointer(id));
    },
    report: (code, message) => report(code, message),
    prepare: (nodes) => applyVisibilityTree(nodes, ctx.members, ctx.check, failed),
  };
  let observer: MutationObserver | null = null;
  let frame = 0;

  const pass = (root: ParentNode, visibility: boolean, eager?: boolean): void => {
    try {
      ctx.loading = doc.readyState === 'loading';
      if (visibility) applyVisibilityTree(root, ctx.members, ctx.check, failed);
      // Templates outside `root` may come first for a target inside it, and the reverse: the choice
      // is always made over the whole scope.
      const scope = (root as Node).getRootNode() as unknown as ParentNode;
      const state = fillTargets(scope, ctx, eager);
      if (state === 2) pending.add(scope);
      else pending.delete(scope);
      if (state > 0) templated.add(scope);
      // The parser may stop right after a template, or inside it, until more of the page arrives,
      // and nothing tells us when it has finished one: a frame painted meanwhile would show the
      // originals. rAF callbacks run in the rendering update, after this and before that paint.
      if (state === 2 && ctx.loading && observer && !frame) frame = requestAnimationFrame(onFrame);
    } catch (cause) {
      failed(cause);
    }
  };

  const onMutations = (records: MutationRecord[]): void => {
    const templates = new Set<ParentNode>(pending);
    try {
      ctx.loading = doc.readyState === 'loading';
      moveLateChildren(records, ctx.filled);
      for (const record of records) {
        const scope = record.target.getRootNode() as unknown as ParentNode;
        if (record.type === 'attributes') {
          const el = record.target as Element;
          if (el.matches(VISIBILITY_SELECTOR)) applyVisibility(el, ctx.members, ctx.check);
          if (record.attributeName === 'data-seglet-when' || record.attributeName === 'data-seglet-into') templates.add(scope);
          continue;
        }
        // A removed template may leave its target filled with nothing to choose it.
        if (templated.has(scope) && record.removedNodes.length > 0) templates.add(scope);
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          const el = node as Element;
          applyVisibilityTree(el, ctx.members, ctx.check, failed);
          if (templated.has(scope) || el.matches(TEMPLATE_SELECTOR) || el.querySelector(TEMPLATE_SELECTOR)) templates.add(scope);
        }
      }
    } catch (cause) {
      failed(cause);
    }
    for (const scope of templates) pass(scope, false);
  };

  // After stop() the DOM stays as it is: a frame asked for before does nothing.
  const onFrame = (): void => {
    if (observer) for (const scope of pending) pass(scope, false, true);
    frame = 0;
  };

  // Chromium may dispatch DOMContentLoaded in the task whose parsing appended a filled target's last
  // original children, before their records are delivered, and a page's listener may call apply()
  // then: the records are handled first, or a fill would drop those children from the originals.
  const flush = (): void => {
    const records = observer?.takeRecords();
    if (records?.length) onMutations(records);
  };

  const onParsed = (): void => {
    flush();
    for (const root of roots) pass(root, true);
  };

  const watch = (root: ParentNode): void => {
    observer?.observe(root as Node, { childList: true, subtree: true, attributes: true, attributeFilter: ATTRIBUTES });
  };

  return {
    apply(members, root) {
      ctx.members = members;
      flush();
      if (root && isShadowRoot(root) && !roots.has(root)) {
        roots.add(root);
        watch(root);
      }
      if (root) pass(root, true);
      else for (const r of roots) pass(r, true);
    },
    observe() {
      if (observer || typeof MutationObserver === 'undefined') return;
      observer = new MutationObserver(onMutations);
      for (const root of roots) watch(root);
      // Targets missing while parsing are reported, and late templates filled, once parsing ends.
      if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', onParsed, { once: true });
    },
    stop() {
      observer?.disconnect();
      observer = null;
      doc.removeEventListener('DOMContentLoaded', onParsed);
    },
  };
}

function isShadowRoot(node: ParentNode): node is ShadowRoot {
  return (node as Node).nodeType === 11 && 'host' in node;
}
