import { decodeReferences } from './decodeReferences.js';
import { htmlResponse } from './htmlResponse.js';
import { RAW_TEXT_ELEMENTS, VOID_ELEMENTS } from './htmlElements.js';
import { parseIds } from './parseIds.js';
import { widePlan, type SelectorPlan } from './planSelectors.js';

/** A `<template data-seglet-when>` found in the page, in document order. */
export interface FoundTemplate {
  ids: string[];
  /** Its `data-seglet-into` selector, or null when it has none. */
  into: string | null;
}

/** A `<template data-seglet-when>` in `<svg>` or `<math>`: an element of that language, no HTML template. */
export interface ForeignTemplate {
  ids: string[];
  /** The language the parser put it in. */
  in: 'svg' | 'math';
}

/** The first element a selector matched, as the pass left it. */
export interface FoundTarget {
  /** Its `data-seglet-applied` before the pass (null: absent); restored when nothing fills it. */
  prior: string | null;
  /** Its tag name, lowercased. */
  tag: string;
}

/** What the pass learned, and the page with visibility applied and every candidate marked. */
export interface Scan {
  /** Whether any element carries a swap attribute (`data-seglet-show|hide`, a seglet template). */
  marked: boolean;
  templates: FoundTemplate[];
  /** Seglet templates in foreign content, which neither the edge nor the browser fills with. */
  foreign: ForeignTemplate[];
  targets: FoundTarget[];
  /**
   * Selector to its target's index; `'void'` when it matched an element that cannot have children,
   * `'text'` when it matched one whose content the parser reads as text, `'foreign'` when it matched
   * one in `<svg>` or `<math>`.
   */
  bySelector: Map<string, number | 'void' | 'text' | 'foreign'>;
  /** Selectors `HTMLRewriter` does not support. */
  unsupported: string[];
  /** The rewritten page as text; a leading byte order mark stays in it as U+FEFF. */
  html: string;
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The one HTMLRewriter pass (text only; nothing in the page is executed). `HTMLRewriter` hands
 * attribute values over as written, so each is decoded as the browser's `getAttribute` reads it.
 * - `data-seglet-show` / `data-seglet-hide` set or remove `hidden` (a comma list means any of
 *   them; both present: both must allow it), each element changed marked `data-seglet-applied`;
 * - each seglet template is framed by comments `<!--{nonce}p{i}-->` before it and `q{i}` after
 *   it (a filled target keeps the templates inside it live), and the content of each one whose
 *   segments hold is wrapped in `s{i}` / `e{i}` (the others cannot fill anything); one inside
 *   another template's content is skipped, as `querySelectorAll` never reaches it, and one in
 *   `<svg>` or `<math>` (no HTML template, see `foreign`) is only listed;
 * - the first element (outside templates, as `querySelector` sees it) each planned selector
 *   matches gets `<!--{nonce}t{i}-->` after its start tag, `<!--{nonce}u{i}-->` before its end
 *   tag and a placeholder `data-seglet-applied="{nonce}a{i}"`, so the fill (decided once every
 *   template is known, a target may come first) is a splice of this text.
 * Only elements with those attributes or selectors reach JavaScript: a handler on every element
 * would cost far more than the parse. When a selector narrowed by `plan` sees fewer elements than
 * the text holds, the pass runs again with the selectors as written. `templatesMayNest` (the text
 * has two template start tags) makes the pass track template depth for the templates themselves.
 */
export async function scanPage(body: Uint8Array, members: ReadonlySet<string>, nonce: string, plan: SelectorPlan, templatesMayNest: boolean, check: (id: string) => void): Promise<Scan> {
  const narrowed = await pass(body, members, nonce, plan, templatesMayNest, check);
  return narrowed.complete ? narrowed.scan : (await pass(body, members, nonce, widePlan(plan.targets.map((t) => t.selector)), templatesMayNest, check)).scan;
}

/** An attribute's value as the browser's `getAttribute` reads it: character references decoded. */
function read(el: Element, name: string): string | null {
  const value = el.getAttribute(name);
  return value === null ? null : decodeReferences(value);
}

async function pass(body: Uint8Array, members: ReadonlySet<string>, nonce: string, plan: SelectorPlan, templatesMayNest: boolean, check: (id: string) => void): Promise<{ scan: Scan; complete: boolean }> {
  const scan: Scan = { marked: false, templates: [], foreign: [], targets: [], bySelector: new Map(), unsupported: [], html: '' };
  const holds = (list: string): boolean => {
    let any = false;
    for (const id of parseIds(list)) {
      check(id);
      if (members.has(id)) any = true;
    }
    return any;
  };
  let templateDepth = 0;
  let swapsSeen = 0;
  const template = (el: Element, when: string): void => {
    scan.marked = true;
    const index = scan.templates.length;
    const ids = parseIds(when);
    scan.templates.push({ ids, into: read(el, 'data-seglet-into') });
    el.before(`<!--${nonce}p${index}-->`, { html: true });
    el.after(`<!--${nonce}q${index}-->`, { html: true });
    // Only a template whose segments hold can fill anything: the others need no content marks.
    if (!ids.some((id) => members.has(id))) return;
    el.prepend(`<!--${nonce}s${index}-->`, { html: true });
    el.append(`<!--${nonce}e${index}-->`, { html: true });
  };
  // Depth only matters when a target or a template may be inside a template; otherwise seglet
  // templates alone reach JavaScript, with no end-tag handler.
  const trackDepth = templatesMayNest || (plan.nested && plan.targets.some(({ count }) => count !== 0));
  const rewriter = new HTMLRewriter().on(trackDepth ? 'template' : 'template[data-seglet-when]', {
    element(el) {
      // In <svg> or <math> (outside <foreignObject> and the like) the parser makes <template> an
      // element of that language, without content: no template to querySelector's fill, nor here.
      if (el.namespaceURI !== HTML_NS) {
        const when = read(el, 'data-seglet-when');
        if (when !== null && templateDepth === 0) scan.foreign.push({ ids: parseIds(when), in: el.namespaceURI === SVG_NS ? 'svg' : 'math' });
        scan.marked ||= when !== null;
        return;
      }
      if (trackDepth) {
        templateDepth++;
        try {
          el.onEndTag(() => {
            templateDepth--;
          });
        } catch {
          templateDepth--;
        }
      }
      const when = read(el, 'data-seglet-when');
      // Nested in another template's content: the browser never finds it, so it fills nothing.
      if (when !== null && templateDepth > 1) scan.marked = true;
      else if (when !== null) template(el, when);
    },
  });
  // The text names no swap attribute: no element has one.
  if (plan.swaps !== '') {
    rewriter.on(plan.swaps, {
      element(el) {
        scan.marked = true;
        const show = read(el, 'data-seglet-show');
        const hide = read(el, 'data-seglet-hide');
        swapsSeen += (show === null ? 0 : 1) + (hide === null ? 0 : 1);
        const visible = (show === null || holds(show)) && !(hide !== null && holds(hide));
        if (el.hasAttribute('hidden') === visible) {
          if (visible) el.removeAttribute('hidden');
          else el.setAttribute('hidden', '');
          el.setAttribute('data-seglet-applied', '');
        }
      },
    });
  }
  const seen = plan.targets.map(() => 0);
  plan.targets.forEach(({ selector, on, count }, k) => {
    // No element can have the id: the selector as written would match nothing either.
    if (count === 0) return;
    const handler = {
      element(el: Element): void {
        seen[k] = (seen[k] ?? 0) + 1;
        // Inside a template's content querySelector sees nothing; the template itself counts.
        if (scan.bySelector.has(selector) || templateDepth > (el.tagName === 'template' && el.namespaceURI === HTML_NS ? 1 : 0)) return;
        const applied = read(el, 'data-seglet-applied');
        if (applied !== null && applied.startsWith(nonce)) {
          // Another selector already took this element: same target.
          scan.bySelector.set(selector, Number(applied.slice(nonce.length + 1)));
          return;
        }
        // In <svg> or <math> the fill would be read as SVG or MathML, and its data-seglet-original
        // would be no HTML template, which the browser cannot take the originals back from.
        if (el.namespaceURI !== HTML_NS) {
          scan.bySelector.set(selector, 'foreign');
          return;
        }
        // Void elements cannot be filled. In raw-text ones a fill spliced into the source would show
        // its <template data-seglet-original> and the template's markup as text (or run them as
        // script), where the browser's DOM fill works, so both are left to it.
        if (VOID_ELEMENTS.has(el.tagName) || RAW_TEXT_ELEMENTS.has(el.tagName)) {
          scan.bySelector.set(selector, VOID_ELEMENTS.has(el.tagName) ? 'void' : 'text');
          return;
        }
        const index = scan.targets.length;
        scan.targets.push({ prior: applied, tag: el.tagName });
        scan.bySelector.set(selector, index);
        el.setAttribute('data-seglet-applied', `${nonce}a${index}`);
        el.prepend(`<!--${nonce}t${index}-->`, { html: true });
        // Written with the end tag, so its presence says the target was closed (no onEndTag: the
        // first end tag handler of a pass costs more than the rest of the target's work).
        el.append(`<!--${nonce}u${index}-->`, { html: true });
      },
    };
    try {
      rewriter.on(on, handler);
    } catch {
      scan.unsupported.push(selector);
    }
  });
  // Not `.text()`: it drops a leading byte order mark, and without it the browser would go by the
  // page's <meta> (or its own default) instead; kept, it comes out again as the first character.
  // (The body is known to be valid UTF-8; `ignoreBOM` keeps a leading U+FEFF in the text.)
  scan.html = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(await rewriter.transform(htmlResponse(body)).arrayBuffer());
  const complete = (plan.swapCount === null || swapsSeen === plan.swapCount) && plan.targets.every(({ count }, k) => count === null || count === seen[k]);
  return { scan, complete };
}
