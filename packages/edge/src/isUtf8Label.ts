/** The Encoding Standard's labels for UTF-8 (https://encoding.spec.whatwg.org/#names-and-labels). */
const UTF8_LABELS = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);

/**
 * Whether a charset label (from `Content-Type` or a `<meta>`) names UTF-8, compared as browsers do:
 * ASCII case-insensitive, surrounding whitespace ignored, optional quotes stripped.
 */
export function isUtf8Label(label: string): boolean {
  return UTF8_LABELS.has(label.trim().replace(/^"|"$/g, '').toLowerCase());
}
