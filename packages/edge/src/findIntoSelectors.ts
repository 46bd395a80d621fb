import { decodeReferences } from './decodeReferences.js';

/** `data-seglet-into` values in page source; a static pattern, never built from page or rule text. */
const INTO = /data-seglet-into\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

/**
 * The distinct `data-seglet-into` selectors mentioned in the page's text (character references
 * decoded), so the one rewriter pass can watch for their targets even when a target comes before
 * its template. A mention outside a template (in a script, say) only adds a selector nobody chooses.
 */
export function findIntoSelectors(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(INTO)) {
    // Decoded, as templates' values are: `&#35;t` is the selector `#t`.
    const value = decodeReferences(match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (value !== '') out.add(value);
  }
  return [...out];
}
