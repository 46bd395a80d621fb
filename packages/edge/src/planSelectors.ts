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
}

const SWAP_NAME = /data-seglet-(?:show|hide)/gi;
/** An `#id` whose value is a plain CSS identifier: the only target selector narrowed. */
const SIMPLE_ID = /^#[A-Za-z_][\w-]*$/;
/** A tag name that is also a plain type selector, followed by what may precede an attribute. */
const TAG = /^[A-Za-z][A-Za-z0-9-]*(?=[\s/])/;
/** An `id` attribute whose value holds a character reference: its text is not its value. */
const ID_WITH_REFERENCE = /(?:^|[\s/"'])id\s*=\s*(?:"[^"]*&|'[^']*&|[^\s>"']*&)/i;
/** Places an id value is looked for before its selector is left as written (a short id is everywhere). */
const MAX_PROBES = 200;

/**
 * Selector matching with a bare attribute selector (`[data-seglet-show]`, `#hero`) makes the
 * rewriter read the attributes of every tag in the page; with a tag name in front it reads only
 * those tags'. So each selector is narrowed to the tag names the text shows around its
 * attributes (the nearest `<name` before each one), with the number of such attributes in the
 * text: every element that carries one has its own occurrence in the text, so when the pass sees
 * that many the narrowing missed none, and otherwise ({@link widePlan}) the pass runs again with
 * the selectors as written. Attribute names are never character references, so their count is
 * exact; an id value written with one (`id="&#104;ero"`) leaves ids as written.
 */
export function planSelectors(text: string, selectors: string[]): SelectorPlan {
  const swaps = narrowSwaps(text);
  let references: boolean | undefined;
  const targets = selectors.map((selector): PlannedTarget => {
    if (!SIMPLE_ID.test(selector)) return { selector, on: selector, count: null };
    references ??= ID_WITH_REFERENCE.test(text);
    const tags = references ? null : idTags(text, selector.slice(1));
    return tags === null ? { selector, on: selector, count: null } : { selector, on: qualify(tags.names, selector), count: tags.count };
  });
  return { ...swaps, targets };
}

/** The plan with every selector as written and nothing to count. */
export function widePlan(plan: SelectorPlan): SelectorPlan {
  return { swaps: SWAPS, swapCount: null, targets: plan.targets.map(({ selector }) => ({ selector, on: selector, count: null })) };
}

function narrowSwaps(text: string): Pick<SelectorPlan, 'swaps' | 'swapCount'> {
  const names = new Set<string>();
  let count = 0;
  for (const match of text.matchAll(SWAP_NAME)) {
    const tag = tagBefore(text, match.index);
    if (tag === null) return { swaps: SWAPS, swapCount: null };
    names.add(tag);
    count++;
  }
  return { swaps: [...names].map((name) => `${name}[data-seglet-show],${name}[data-seglet-hide]`).join(','), swapCount: count };
}

/** Tag names around the places the text could give an element the id `value`, and how many there are. */
function idTags(text: string, value: string): { names: Set<string>; count: number } | null {
  const names = new Set<string>();
  let count = 0;
  let probes = 0;
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    if (++probes > MAX_PROBES) return null;
    if (!isIdValue(text, at, value.length)) continue;
    const tag = tagBefore(text, at);
    if (tag === null) return null;
    names.add(tag);
    count++;
  }
  return { names, count };
}

/**
 * Whether `text[at, at + length)` may be a whole `id` attribute value (`id="v"`, `id='v'`, `id=v`).
 * Errs towards yes: a place counted that is no element only makes the pass run again.
 */
function isIdValue(text: string, at: number, length: number): boolean {
  let i = at - 1;
  const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined;
  const next = text.charAt(at + length);
  if (quote === undefined ? !(next === '' || next === '>' || isSpace(next)) : next !== quote) return false;
  if (quote !== undefined) i--;
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

function qualify(names: Set<string>, selector: string): string {
  return [...names].map((name) => name + selector).join(',');
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f';
}
