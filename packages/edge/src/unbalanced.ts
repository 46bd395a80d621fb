import { RAW_TEXT_ELEMENTS, VOID_ELEMENTS } from './htmlElements.js';

/** Elements the parser closes at an ancestor's end tag (implied end tags), so they may stay open. */
const IMPLIED_END = new Set(['caption', 'colgroup', 'dd', 'dt', 'li', 'optgroup', 'option', 'p', 'rb', 'rp', 'rt', 'rtc', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr']);

const TAG = /<(\/?)([A-Za-z][^\s/>]*)/y;

/**
 * Whether a template's content, spliced into the page as source text, would reach outside its
 * target: an end tag with no start tag of its own in the content (an extra `</div>` closes the
 * target's parent, and the rest of that parent falls out of it), or an element left open that the
 * target's end tag would not close (an unclosed `<div>` in a `<div>` takes the target's `</div>`,
 * an unclosed `<b>` makes the text after the target bold, `<plaintext>` swallows the page). In the
 * browser the content is parsed on its own as a template's, where neither can happen, so such a
 * template is left to the browser's DOM fill. End tags inside a nested template are ignored there
 * as here. Errs towards yes: it keeps no parser's insertion modes, only a stack of tag names.
 */
export function unbalanced(content: string): boolean {
  const open: string[] = [];
  for (let at = content.indexOf('<'); at >= 0; at = content.indexOf('<', at)) {
    if (content.startsWith('<!--', at)) {
      const end = content.indexOf('-->', at + 4);
      at = end < 0 ? content.length : end + 3;
      continue;
    }
    TAG.lastIndex = at;
    const tag = TAG.exec(content);
    if (!tag) {
      // `<!doctype`, `<![CDATA[`, `<?`, `</ ` are bogus comments up to `>`; a lone `<` is text.
      const bogus = /[!?/]/.test(content.charAt(at + 1));
      at = bogus ? endOfTag(content, at + 2) : at + 1;
      continue;
    }
    const name = (tag[2] ?? '').toLowerCase();
    const after = endOfTag(content, TAG.lastIndex);
    at = after;
    if (VOID_ELEMENTS.has(name)) continue;
    if (tag[1]) {
      // A nested template's content is a scope of its own: a stray end tag in it stays there.
      const own = open.lastIndexOf(name);
      const fence = name === 'template' ? -1 : open.lastIndexOf('template');
      if (own > fence) open.length = own;
      else if (fence < 0) return true;
      continue;
    }
    // Raw text to the end of the content, and of the page once spliced.
    if (name === 'plaintext') return true;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      const close = content.toLowerCase().indexOf(`</${name}`, after);
      at = close < 0 ? content.length : endOfTag(content, close + 2);
      continue;
    }
    // A self-closing tag closes only in SVG and MathML.
    const selfClosing = content.charAt(after - 2) === '/' && (name === 'svg' || name === 'math' || open.includes('svg') || open.includes('math'));
    if (!selfClosing) open.push(name);
  }
  return open.some((name) => !IMPLIED_END.has(name));
}

/** Just past the `>` that ends the tag whose attributes start at `from` (quoted values may hold `>`). */
function endOfTag(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if ((ch === '"' || ch === "'") && text.slice(from, i).trimEnd().endsWith('=')) quote = ch;
    else if (ch === '>') return i + 1;
  }
  return text.length;
}
