/** Start tags that end an open `<p>` (HTML's "close a p element" in the "in body" insertion mode). */
const P_CLOSERS = 'address article aside blockquote center dd details dialog dir div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li listing main menu nav ol p plaintext pre search section summary table ul xmp';
const TABLE_SECTIONS = 'tbody tfoot thead';
const RUBY = 'rb rp rt rtc';
/** A heading start tag pops an open heading that is the current node (any heading, any level). */
const HEADINGS = 'h1 h2 h3 h4 h5 h6';

/**
 * For elements the browser's parser ends at a start tag, whatever end tag follows: the start tags
 * that end them. HTMLRewriter ends an element only at its own end tag or an ancestor's, so what it
 * reads as a target's children may not be (`<li>one<li>two`: "two" is the next item).
 */
const ENDED_BY: Record<string, Set<string>> = Object.fromEntries(Object.entries({
  p: P_CLOSERS,
  li: 'li',
  dt: 'dd dt',
  dd: 'dd dt',
  option: 'hr optgroup option',
  optgroup: 'hr optgroup',
  tr: `tr ${TABLE_SECTIONS}`,
  td: `td th tr ${TABLE_SECTIONS}`,
  th: `td th tr ${TABLE_SECTIONS}`,
  tbody: TABLE_SECTIONS,
  thead: TABLE_SECTIONS,
  tfoot: TABLE_SECTIONS,
  rb: RUBY,
  rp: RUBY,
  rt: RUBY,
  rtc: RUBY,
  h1: HEADINGS,
  h2: HEADINGS,
  h3: HEADINGS,
  h4: HEADINGS,
  h5: HEADINGS,
  h6: HEADINGS,
  a: 'a',
  button: 'button',
  nobr: 'nobr',
}).map(([tag, names]) => [tag, new Set(names.split(' '))]));

const START_TAG = /<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])/g;

/**
 * Whether source text placed inside a `tag` element holds a start tag that the browser's parser
 * would end that element at, so that the text is not all its content. Errs towards yes (a start
 * tag in a comment or a nested list counts): the target is then left to the browser's own fill.
 */
export function endedEarly(tag: string, text: string): boolean {
  const closers = ENDED_BY[tag];
  if (closers === undefined) return false;
  for (const match of text.matchAll(START_TAG)) if (closers.has((match[1] ?? '').toLowerCase())) return true;
  return false;
}

const P_CLOSER_SET = new Set(P_CLOSERS.split(' '));

/**
 * Whether an element `tag` whose start tag is at `at` in `html` may sit in an open `<p>` that a
 * start tag in `text` (its children, or the fill) would end, and the element with it: the browser
 * closes the paragraph and every element inside it at a block's start tag (`<p>Hi <span>` filled
 * with a `<div>` leaves the `<div>` after the paragraph). Errs towards yes: the paragraph is looked
 * for in the text alone, as the last `<p>` before the element with no `</p>` or block start after it.
 */
export function endsParagraph(html: string, at: number, tag: string, text: string): boolean {
  // A block element ends the paragraph itself at its own start tag: it is never inside one.
  if (P_CLOSER_SET.has(tag) || !endedEarly('p', text)) return false;
  let open = -1;
  for (let from = at; open < 0; ) {
    const found = Math.max(html.lastIndexOf('<p', from - 1), html.lastIndexOf('<P', from - 1));
    if (found < 0) return false;
    if (/[\s/>]/.test(html.charAt(found + 2))) open = found;
    from = found;
  }
  const since = html.slice(open + 2, at);
  if (/<\/p[\s>]/i.test(since)) return false;
  for (const match of since.matchAll(START_TAG)) if (P_CLOSER_SET.has((match[1] ?? '').toLowerCase())) return false;
  return true;
}
