/** The overlay's script-tag build, published beside `seglet.min.js`. */
export const DEBUG_FILE = 'seglet-debug.min.js';

declare const trustedTypes: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string } };

/**
 * Injects `<script src>` for the overlay next to `script`'s own URL (same origin, so a
 * `script-src 'self'` CSP allows it) with its nonce. Trusted Types: a plain string first; only if
 * the page enforces them is the `seglet-debug` policy created, for this one fixed URL.
 */
export function loadDebugScript(script: HTMLScriptElement): void {
  try {
    const tag = document.createElement('script');
    const url = new URL(DEBUG_FILE, script.src).href;
    try {
      tag.src = url;
    } catch {
      tag.src = trustedTypes.createPolicy('seglet-debug', { createScriptURL: () => url }).createScriptURL(url);
    }
    tag.nonce = script.nonce;
    document.head.append(tag);
  } catch {
    // The browser's console already names the cause (a refused policy name, no <head>); the page runs on.
  }
}
