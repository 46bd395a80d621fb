const NAME = 'data-seglet-applied';

/** How one mark left by the pass is replaced: `kind` is s/e (template), t/u (target) or a (attribute). */
export type MarkReplacer = (kind: string, index: number) => string;

/**
 * Replaces every mark the pass left in `html` (comments `<!--{nonce}{kind}{i}-->` and attribute
 * values `"{nonce}a{i}"`, the attribute named by `replace` as a whole: it returns the full
 * attribute text, name included, or '' to drop it). The nonce is random per request, so page
 * text never matches it. Linear: one left-to-right walk.
 */
export function spliceMarks(html: string, nonce: string, replace: MarkReplacer): string {
  let out = '';
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
      // The whole attribute goes, with the whitespace before it; `replace` brings its own.
      const cut = /\s/.test(html.charAt(name - 1)) ? name - 1 : name;
      out += html.slice(from, cut) + replace('a', index);
      from = end + 1;
    } else if (html.startsWith('<!--', at - 4) && html.startsWith('-->', end)) {
      out += html.slice(from, at - 4) + replace(kind, index);
      from = end + 3;
    } else {
      out += html.slice(from, end);
      from = end;
    }
  }
  return out + html.slice(from);
}
