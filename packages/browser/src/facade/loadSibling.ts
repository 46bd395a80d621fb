declare const trustedTypes: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string } };

/**
 * Injects `<script src>` for `file` next to `script`'s own URL (same origin, so a
 * `script-src 'self'` CSP allows it) with its nonce. Trusted Types: a plain string first; only if
 * the page enforces them is the `policy` created, for this one fixed URL. Returns the tag, or
 * null when it could not be added (the browser's console names the cause).
 */
export function loadSibling(script: HTMLScriptElement, file: string, policy: string): HTMLScriptElement | null {
  try {
    const tag = document.createElement('script');
    const url = new URL(file, script.src).href;
    try {
      tag.src = url;
    } catch {
      tag.src = trustedTypes.createPolicy(policy, { createScriptURL: () => url }).createScriptURL(url);
    }
    tag.nonce = script.nonce;
    // Not `document.head`: `head` is an engine internal that the minified builds rename (rollup.config.ts).
    (document.querySelector('head') as HTMLHeadElement).append(tag);
    return tag;
  } catch {
    return null;
  }
}
