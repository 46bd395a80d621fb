declare const trustedTypes: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string } } | undefined;

/**
 * Injects `<script src>` for `file` next to `script`'s own URL (same origin, so a
 * `script-src 'self'` CSP allows it) with its nonce. Where the browser has Trusted Types, the URL
 * goes through the `policy`, made for this one fixed URL, before it reaches the sink: a plain
 * string first would be a violation report on every page that enforces them and allows the policy.
 * A policy the page does not allow falls back to the plain string. Returns the tag, or null when it
 * could not be added (the browser's console names the cause).
 */
export function loadSibling(script: HTMLScriptElement, file: string, policy: string): HTMLScriptElement | null {
  try {
    const tag = document.createElement('script');
    const url = new URL(file, script.src).href;
    let src: string = url;
    try {
      if (typeof trustedTypes !== 'undefined') src = trustedTypes.createPolicy(policy, { createScriptURL: () => url }).createScriptURL(url);
    } catch {
      // Not allowed by the page's `trusted-types` list: the plain string, which works where they are not enforced.
    }
    tag.src = src;
    tag.nonce = script.nonce;
    // Not `document.head`: `head` is an engine internal that the minified builds rename (rollup.config.ts).
    (document.querySelector('head') as HTMLHeadElement).append(tag);
    return tag;
  } catch {
    return null;
  }
}
