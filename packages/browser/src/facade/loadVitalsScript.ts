import type { VitalsApi } from '../collectors/collectVitals.js';
import { loadSibling } from './loadSibling.js';

/** The `web-vitals` build for the script tag, published beside `seglet.min.js`. */
export const VITALS_FILE = 'seglet-vitals.min.js';

/** Where `seglet-vitals.min.js` hands `web-vitals` over when it runs. */
export const VITALS_KEY = /*#__PURE__*/ Symbol.for('seglet.vitals');

/**
 * Loads `web-vitals` for the script tag: injects its file beside `script` (Trusted Types policy
 * `seglet-vitals` if enforced) and resolves when that file hands the functions over.
 */
export function loadVitalsScript(script: HTMLScriptElement, win: Window): Promise<VitalsApi> {
  return new Promise((resolve, reject) => {
    (win as unknown as Record<symbol, unknown>)[VITALS_KEY] = resolve;
    const tag = loadSibling(script, VITALS_FILE, 'seglet-vitals');
    if (!tag) reject(new Error(`${VITALS_FILE} could not be added to the page`));
    else tag.addEventListener('error', () => reject(new Error(`${VITALS_FILE} did not load`)));
  });
}
