/** Elements without content: a template cannot fill them, and their start tag opens nothing. */
export const VOID_ELEMENTS: ReadonlySet<string> = /*#__PURE__*/ new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Elements whose content the parser reads as text, up to their own end tag (`<plaintext>`: to the
 * end of the page): tags inside them are not tags.
 */
export const RAW_TEXT_ELEMENTS: ReadonlySet<string> = /*#__PURE__*/ new Set(['iframe', 'noembed', 'noframes', 'noscript', 'plaintext', 'script', 'style', 'textarea', 'title', 'xmp']);
