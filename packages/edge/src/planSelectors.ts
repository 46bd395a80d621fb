/** The selector for every element that carries a visibility swap. */
export const SWAPS = '[data-seglet-show],[data-seglet-hide]';

/** Where the pass looks for one `data-seglet-into` selector. */
export interface PlannedTarget {
  /** The selector as the page wrote it (what templates name). */
  selector: string;
  /** What the rewriter is given: `selector` itself, or narrowed to tag names (`section#hero`; '' for none). */
  on: string;
  /** When narrowed: how many elements with that id the text can hold, which the pass must see. */
  count: number | null;
}

/** The selectors the one pass registers, and the counts that prove a narrowed one missed nothing. */
export interface SelectorPlan {
  /** {@link SWAPS}, or narrowed to tag names; '' when the text names no swap attribute at all. */
  swaps: string;
  /** When narrowed: the `data-seglet-show|hide` names in the text, each of which the pass must see. */
  swapCount: number | null;
  targets: PlannedTarget[];
  /** Whether a target may lie inside a template, so the pass must track template depth. */
  nested: boolean;
}

const SWAP_NAME = /data-seglet-(?:show|hide)/gi;
/** An `#id` whose value is a plain CSS identifier: the only target selector narrowed. */
const SIMPLE_ID = /^#[A-Za-z_][\w-]*$/;
/** A tag name that is also a plain type selector, followed by what may precede an attribute. */
const TAG = /^[A-Za-z][A-Za-z0-9-]*(?=[\s/])/;
/** A template's start tag, as the text must spell it for the parser to see one. */
const TEMPLATE_TAG = /<template/i;
/** Places a value is looked for before narrowing gives up (a short id, or `&`, is everywhere). */
const MAX_PROBES = 200;
/** What a raw id value that decodes to a plain identifier can hold: its characters and references. */
const ID_OR_REFERENCE = /[\w#;&-]/;

/**
 * Selector matching with a bare attribute selector (`[data-seglet-show]`, `#hero`) makes the
 * rewriter read the attributes of every tag in the page; with a tag name in front it reads only
 * those tags'. So the selectors are narrowed to the tag names the text shows around their
 * attributes (the nearest `<name` before each one), with the number of such attributes in the
 * text: every element that carries one has its own occurrence in the text, so when the pass sees
 * that many the narrowing missed none, and otherwise ({@link widePlan}) the pass runs again with
 * the selectors as written. Attribute names are never character references, so their count is
 * exact. All or nothing: one selector left as written (not a plain `#id`, an id value written
 * with a reference such as `id="&#104;ero"`, a name not plainly inside a tag) makes every tag's
 * attributes read anyway, so then the plan is {@link widePlan}'s and the text is not searched further.
 */
export function planSelectors(text: string, selectors: string[]): SelectorPlan {
  const wide = widePlan(selectors);
  if (!selectors.every((selector) => SIMPLE_ID.test(selector))) return wide;
  const swaps = narrowSwaps(text);
  if (swaps === null || (selectors.length > 0 && idWithReference(text))) return wide;
  const targets: PlannedTarget[] = [];
  let last = -1;
  for (const selector of selectors) {
    const tags = idTags(text, selector.slice(1));
    if (tags === null) return wide;
    targets.push({ selector, on: [...tags.names].map((name) => name + selector).join(','), count: tags.count });
    last = Math.max(last, tags.last);
  }
  // An element inside a template comes after a template's start tag: with none before the last
  // place an id stands, no target can be inside one (checked by the counts like the rest).
  return { ...swaps, targets, nested: last >= 0 && TEMPLATE_TAG.test(text.slice(0, last)) };
}

/** The plan with every selector as written and nothing to count. */
export function widePlan(selectors: readonly string[]): SelectorPlan {
  return { swaps: SWAPS, swapCount: null, targets: selectors.map((selector) => ({ selector, on: selector, count: null })), nested: true };
}

function narrowSwaps(text: string): Pick<SelectorPlan, 'swaps' | 'swapCount'> | null {
  const names = new Set<string>();
  let count = 0;
  for (const match of text.matchAll(SWAP_NAME)) {
    const tag = tagBefore(text, match.index);
    if (tag === null) return null;
    names.add(tag);
    count++;
  }
  return { swaps: [...names].map((name) => `${name}[data-seglet-show],${name}[data-seglet-hide]`).join(','), swapCount: count };
}

/**
 * Whether some `&` may stand in an id value (true when there are too many to look at). A raw
 * value that decodes to a plain identifier holds only its characters and references, so the
 * walk back from its `&` over those reaches its start: `id=`, `id="` or `id='`.
 */
function idWithReference(text: string): boolean {
  let probes = 0;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
    if (++probes > MAX_PROBES) return true;
    let start = at;
    while (start > 0 && ID_OR_REFERENCE.test(text.charAt(start - 1))) start--;
    if (startsIdValue(text, start)) return true;
  }
  return false;
}

/** Tag names around the places the text could give an element the id `value`, how many, and the last. */
function idTags(text: string, value: string): { names: Set<string>; count: number; last: number } | null {
  const names = new Set<string>();
  let count = 0;
  let last = -1;
  let probes = 0;
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    if (++probes > MAX_PROBES) return null;
    if (!isIdValue(text, at, value.length)) continue;
    const tag = tagBefore(text, at);
    if (tag === null) return null;
    names.add(tag);
    count++;
    last = at;
  }
  return { names, count, last };
}

/**
 * Whether `text[at, at + length)` may be a whole `id` attribute value (`id="v"`, `id='v'`, `id=v`).
 * Errs towards yes: a place counted that is no element only makes the pass run again.
 */
function isIdValue(text: string, at: number, length: number): boolean {
  const quote = text[at - 1] === '"' || text[at - 1] === "'" ? text[at - 1] : undefined;
  const next = text.charAt(at + length);
  if (quote === undefined ? !(next === '' || next === '>' || isSpace(next)) : next !== quote) return false;
  return startsIdValue(text, at);
}

/** Whether an `id` attribute value may start at `at`: after `id=`, `id="` or `id='`, spaces around `=`. */
function startsIdValue(text: string, at: number): boolean {
  let i = at - 1;
  if (text[i] === '"' || text[i] === "'") i--;
  while (i >= 0 && isSpace(text.charAt(i))) i--;
  if (text[i] !== '=') return false;
  i--;
  while (i >= 0 && isSpace(text.charAt(i))) i--;
  if (i < 2 || text.slice(i - 1, i + 1).toLowerCase() !== 'id') return false;
  const before = text.charAt(i - 2);
  return isSpace(before) || before === '/' || before === '"' || before === "'";
}

/** The lowercased name of the tag the text shows `at` inside (no `>` since its `<`), or null. */
function tagBefore(text: string, at: number): string | null {
  const open = text.lastIndexOf('<', at);
  if (open < 0) return null;
  const close = text.indexOf('>', open);
  if (close >= 0 && close < at) return null;
  return TAG.exec(text.slice(open + 1, at))?.[0].toLowerCase() ?? null;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f';
}
