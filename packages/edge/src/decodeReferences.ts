/**
 * Named references decoded: the ones every page uses, and those of the ASCII punctuation a
 * selector or an id list could be written with. Names are case-sensitive (`&AMP;` is one, `&Amp;` not).
 */
const NAMED: Record<string, string> = {
  amp: '&', AMP: '&', lt: '<', LT: '<', gt: '>', GT: '>', quot: '"', QUOT: '"', apos: "'", nbsp: '\u00a0',
  num: '#', comma: ',', period: '.', colon: ':', semi: ';', sol: '/', bsol: '\\', lowbar: '_', lsqb: '[', rsqb: ']',
  lpar: '(', rpar: ')', equals: '=', excl: '!', ast: '*', plus: '+', dollar: '$', percnt: '%', Hat: '^', verbar: '|',
  vert: '|', grave: '`', commat: '@', hyphen: '\u2010',
};
/** The ones HTML also decodes without a semicolon (legacy), unless a letter, digit or `=` follows. */
const LEGACY = new Set(['amp', 'AMP', 'lt', 'LT', 'gt', 'GT', 'quot', 'QUOT', 'nbsp']);
/** What numeric references to C1 controls stand for (HTML maps them to windows-1252's characters). */
const C1 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const REFERENCE = /&(?:#([0-9]+);?|#[xX]([0-9a-fA-F]+);?|([A-Za-z][A-Za-z0-9]*)(;?))/g;

/**
 * An attribute value as the page's source writes it (`HTMLRewriter` hands values over raw) decoded
 * the way the browser's `getAttribute` sees it: decimal and hex references (`&#44;`, `&#x23;`, with
 * HTML's fix-ups: 0, surrogates and values past U+10FFFF become U+FFFD, C1 controls the windows-1252
 * characters) and the named references in {@link NAMED}. Any other name is left as written, so a
 * value could differ from the browser's only by a rare named reference.
 */
export function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined, semicolon: string, at: number) => {
    if (name !== undefined) {
      const ch = NAMED[name];
      if (ch === undefined) return whole;
      if (semicolon === ';') return ch;
      const next = value.charAt(at + whole.length);
      // Without `;` only legacy names decode, and in an attribute not before a letter, digit or `=`.
      return LEGACY.has(name) && !/[A-Za-z0-9=]/.test(next) ? ch : whole;
    }
    return codePoint(dec === undefined ? Number.parseInt(hex ?? '', 16) : Number.parseInt(dec, 10));
  });
}

function codePoint(n: number): string {
  if (n === 0 || n > 0x10ffff || Number.isNaN(n) || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  if (n >= 0x80 && n <= 0x9f) return C1.charAt(n - 0x80);
  return String.fromCodePoint(n);
}
