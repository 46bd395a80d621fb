/** How far a browser looks for a `<meta>` charset before it starts parsing. */
const PRESCAN_BYTES = 1024;

/** Labels of UTF-16, which a `<meta>` cannot really mean (the bytes were read as ASCII): UTF-8. */
const UTF16_LABELS = new Set(['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'unicodefffe', 'utf-16', 'utf-16be', 'utf-16le']);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

/**
 * The charset label a `<meta charset>` or `<meta http-equiv="content-type" content="…charset=…">`
 * declares in the first 1,024 bytes, found the way browsers prescan a page whose `Content-Type`
 * names no charset (HTML's "prescan a byte stream to determine its encoding": comments and other
 * tags skipped, attributes read with their quoting rules, a `content` charset counted only with
 * its `http-equiv`). Returns the label lowercased and trimmed (UTF-16 labels as `utf-8`, as the
 * standard says), or null when there is none. Unlike a browser it does not skip labels it does
 * not know: the caller treats any label but UTF-8 as "not UTF-8", which only errs towards passing
 * a page through.
 */
export function prescanCharset(bytes: Uint8Array): string | null {
  const end = Math.min(bytes.length, PRESCAN_BYTES);
  const at = { i: 0 };
  for (; at.i < end; at.i++) {
    if (bytes[at.i] !== LT) continue;
    const next = bytes[at.i + 1] ?? 0;
    if (startsWith(bytes, at.i, '<!--')) {
      at.i = indexOf(bytes, '-->', at.i + 2, end);
    } else if (startsWithLower(bytes, at.i, '<meta') && (isSpace(bytes[at.i + 5]) || bytes[at.i + 5] === SLASH)) {
      at.i += 6;
      const charset = metaCharset(bytes, at, end);
      if (charset !== null) return UTF16_LABELS.has(charset) ? 'utf-8' : charset === 'x-user-defined' ? 'windows-1252' : charset;
    } else if (isLetter(next) || (next === SLASH && isLetter(bytes[at.i + 2] ?? 0))) {
      // Another tag: its attributes are skipped as attributes, so a quoted `>` does not end it.
      while (at.i < end && !isSpace(bytes[at.i]) && bytes[at.i] !== GT) at.i++;
      while (getAttribute(bytes, at, end) !== null) {
        // Read only to be skipped.
      }
    } else if (next === 0x21 || next === SLASH || next === 0x3f) {
      at.i = indexOf(bytes, '>', at.i + 2, end);
    }
  }
  return null;
}

/** After `<meta `: the charset this element declares, or null (then the scan goes on after it). */
function metaCharset(bytes: Uint8Array, at: { i: number }, end: number): string | null {
  const seen = new Set<string>();
  let gotPragma = false;
  let needPragma: boolean | null = null;
  let charset: string | null = null;
  for (let attribute = getAttribute(bytes, at, end); attribute !== null; attribute = getAttribute(bytes, at, end)) {
    const [name, value] = attribute;
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === 'http-equiv') gotPragma ||= value === 'content-type';
    else if (name === 'content' && charset === null) {
      charset = charsetInContent(value);
      if (charset !== null) needPragma = true;
    } else if (name === 'charset') {
      charset = value.trim();
      needPragma = false;
    }
  }
  if (needPragma === null || (needPragma && !gotPragma) || charset === null || charset === '') return null;
  return charset;
}

/**
 * HTML's "get an attribute": name and value lowercased (bytes read as Latin-1), or null at `>` or
 * at the end. Leaves `at.i` just past the attribute.
 */
function getAttribute(bytes: Uint8Array, at: { i: number }, end: number): [string, string] | null {
  while (at.i < end && (isSpace(bytes[at.i]) || bytes[at.i] === SLASH)) at.i++;
  if (at.i >= end || bytes[at.i] === GT) return null;
  let name = '';
  for (;; at.i++) {
    if (at.i >= end) return null;
    const b = bytes[at.i] ?? 0;
    if (b === 0x3d && name !== '') break;
    if (isSpace(b)) {
      while (at.i < end && isSpace(bytes[at.i])) at.i++;
      if (bytes[at.i] !== 0x3d) return [name, ''];
      break;
    }
    if (b === SLASH || b === GT) return [name, ''];
    name += lower(b);
  }
  at.i++;
  while (at.i < end && isSpace(bytes[at.i])) at.i++;
  if (at.i >= end) return null;
  const quote = bytes[at.i];
  let value = '';
  if (quote === 0x22 || quote === 0x27) {
    for (at.i++; at.i < end; at.i++) {
      if (bytes[at.i] === quote) {
        at.i++;
        return [name, value];
      }
      value += lower(bytes[at.i] ?? 0);
    }
    return null;
  }
  if (quote === GT) return [name, ''];
  for (; at.i < end && !isSpace(bytes[at.i]) && bytes[at.i] !== GT; at.i++) value += lower(bytes[at.i] ?? 0);
  return at.i < end ? [name, value] : null;
}

/** HTML's "extracting a character encoding from a meta element" for a `content` value. */
function charsetInContent(content: string): string | null {
  for (let from = content.indexOf('charset'); from >= 0; from = content.indexOf('charset', from + 1)) {
    let i = from + 7;
    while (/\s/.test(content.charAt(i))) i++;
    if (content.charAt(i) !== '=') continue;
    i++;
    while (/\s/.test(content.charAt(i))) i++;
    const quote = content.charAt(i);
    if (quote === '"' || quote === "'") {
      const close = content.indexOf(quote, i + 1);
      return close < 0 ? null : content.slice(i + 1, close);
    }
    const rest = /^[^\s;]*/.exec(content.slice(i))?.[0] ?? '';
    return rest === '' ? null : rest;
  }
  return null;
}

function startsWith(bytes: Uint8Array, at: number, ascii: string): boolean {
  for (let k = 0; k < ascii.length; k++) if (bytes[at + k] !== ascii.charCodeAt(k)) return false;
  return true;
}

function startsWithLower(bytes: Uint8Array, at: number, ascii: string): boolean {
  for (let k = 0; k < ascii.length; k++) if (lower(bytes[at + k] ?? 0) !== ascii.charAt(k)) return false;
  return true;
}

/** Where `ascii` ends (its last byte) from `from`, or `end` when it is not there. */
function indexOf(bytes: Uint8Array, ascii: string, from: number, end: number): number {
  for (let i = from; i + ascii.length <= end; i++) if (startsWith(bytes, i, ascii)) return i + ascii.length - 1;
  return end;
}

function lower(b: number): string {
  return String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
}

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function isSpace(b: number | undefined): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;
}
