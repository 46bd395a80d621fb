import { parseIds } from './parseIds.js';

/** A `<template data-seglet-when>` found in the page, in document order. */
export interface FoundTemplate {
  ids: string[];
  /** Its `data-seglet-into` selector, or null when it has none. */
  into: string | null;
}

/** What the first pass learned, and the page with visibility applied and template contents marked. */
export interface Scan {
  /** Whether any element carries a `data-seglet-` attribute. */
  marked: boolean;
  templates: FoundTemplate[];
  html: string;
}

/** The comment that opens (`s`) or closes (`e`) template `index`'s content in the first pass. */
export function marker(nonce: string, edge: 's' | 'e', index: number): string {
  return `<!--${nonce}${edge}${index}-->`;
}

/**
 * First pass (HTMLRewriter, text only): notes whether any `data-seglet-` attribute is present,
 * sets or removes `hidden` for `data-seglet-show` / `data-seglet-hide` (a comma list means any of
 * them; both present: both must allow it), marking each element changed with
 * `data-seglet-applied`, and wraps each seglet template's content in comment markers so its source
 * can be cut out for a target that may come earlier in the page.
 */
export async function scanPage(body: Uint8Array, members: ReadonlySet<string>, nonce: string, check: (id: string) => void): Promise<Scan> {
  const scan: Scan = { marked: false, templates: [], html: '' };
  const holds = (list: string): boolean => {
    let any = false;
    for (const id of parseIds(list)) {
      check(id);
      if (members.has(id)) any = true;
    }
    return any;
  };
  const rewriter = new HTMLRewriter().on('*', {
    element(el) {
      let show: string | null = null;
      let hide: string | null = null;
      let when: string | null = null;
      let into: string | null = null;
      let seglet = false;
      // Names come lowercased from the parser.
      for (const [name = '', value = ''] of el.attributes) {
        if (!name.startsWith('data-seglet-')) continue;
        seglet = true;
        if (name === 'data-seglet-show') show = value;
        else if (name === 'data-seglet-hide') hide = value;
        else if (name === 'data-seglet-when') when = value;
        else if (name === 'data-seglet-into') into = value;
      }
      if (!seglet) return;
      scan.marked = true;
      if (show !== null || hide !== null) {
        const visible = (show === null || holds(show)) && !(hide !== null && holds(hide));
        if (el.hasAttribute('hidden') === visible) {
          if (visible) el.removeAttribute('hidden');
          else el.setAttribute('hidden', '');
          el.setAttribute('data-seglet-applied', '');
        }
      }
      if (when !== null && el.tagName === 'template') {
        const index = scan.templates.length;
        scan.templates.push({ ids: parseIds(when), into });
        el.prepend(marker(nonce, 's', index), { html: true });
        el.append(marker(nonce, 'e', index), { html: true });
      }
    },
  });
  scan.html = await rewriter.transform(new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } })).text();
  return scan;
}
