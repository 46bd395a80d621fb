const NAME = 'data-seglet-applied';

/** One mark the pass left: `kind` s/e (template), t/u (target) or a (attribute), and the text it takes up. */
export interface Mark {
  kind: string;
  index: number;
  /** Where the text to replace starts: the comment's `<!--`, or the whitespace before the attribute. */
  from: number;
  /** Just past the comment's `-->` or the attribute value's closing quote. */
  to: number;
}

/**
 * Every mark the pass left in `html`, in order: comments `<!--{nonce}{kind}{i}-->` and attribute
 * values `"{nonce}a{i}"` of `data-seglet-applied` (the whole attribute, with the whitespace
 * before it). The nonce is random per request, so page text never matches it. One left-to-right
 * walk, so that the fill, the closed targets and each template's content need no other search.
 */
export function findMarks(html: string, nonce: string): Mark[] {
  const marks: Mark[] = [];
  let from = 0;
  for (let at = html.indexOf(nonce); at >= 0; at = html.indexOf(nonce, from)) {
    const kind = html.charAt(at + nonce.length);
    const digits = at + nonce.length + 1;
    let end = digits;
    while (end < html.length && html.charCodeAt(end) >= 48 && html.charCodeAt(end) <= 57) end++;
    const index = Number(html.slice(digits, end));
    const quote = html.charAt(at - 1);
    const name = at - 2 - NAME.length;
    if (kind === 'a' && (quote === '"' || quote === "'") && html.charAt(end) === quote && html.slice(name, at - 2).toLowerCase() === NAME) {
      from = end + 1;
      marks.push({ kind, index, from: /\s/.test(html.charAt(name - 1)) ? name - 1 : name, to: from });
    } else if (html.startsWith('<!--', at - 4) && html.startsWith('-->', end)) {
      from = end + 3;
      marks.push({ kind, index, from: at - 4, to: from });
    } else {
      from = end;
    }
  }
  return marks;
}
